import { startInfluxd, startMosquitto, type RunningService } from './services';
import { TEST_ENV } from './env';

declare global {
  var __hazardServices: RunningService[] | undefined;
}

/** Jest globalSetup: starts Mosquitto and InfluxDB once for every project, unless an outer runner already did. */
export default async function globalSetup(): Promise<void> {
  if (process.env[TEST_ENV.mqttUrl] && process.env[TEST_ENV.influxUrl]) return;
  const results = await Promise.allSettled([startMosquitto(), startInfluxd()]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failed.length > 0) {
    await Promise.all(started.map((s) => s.stop()));
    throw new Error(`[harness] could not start the real services:\n${failed.map((e) => e.message).join('\n')}`);
  }
  const [mosquitto, influxd] = started as [RunningService, RunningService];
  process.env[TEST_ENV.mqttUrl] = mosquitto.url;
  process.env[TEST_ENV.influxUrl] = influxd.url;
  process.stderr.write(`\n[harness] mosquitto ${mosquitto.url} · influxd ${influxd.url}\n`);
  globalThis.__hazardServices = started;
}
