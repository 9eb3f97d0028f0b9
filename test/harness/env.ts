/** Environment variables through which the harness hands its real services to the tests. */
export const TEST_ENV = {
  /** mqtt://127.0.0.1:PORT of the harness's Mosquitto. */
  mqttUrl: 'HAZARD_TEST_MQTT_URL',
  /** http://127.0.0.1:PORT of the harness's InfluxDB 1.x. */
  influxUrl: 'HAZARD_TEST_INFLUX_URL',
} as const;

/** The URL of a harness service; throws a loud error when the harness did not start it. */
export function requireService(key: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[key]];
  if (!value) {
    throw new Error(
      `${TEST_ENV[key]} is not set: run the tests through the repo's test command (npm test) or jest with the ` +
        `harness globalSetup, which starts a real Mosquitto and InfluxDB`,
    );
  }
  return value;
}
