import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './app-config';

/** Runs loadConfig and returns the ConfigError it throws. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('runs the demo on embedded components when nothing is set', () => {
    const sut = loadConfig({});

    expect(sut).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      MQTT_PORT: 1883,
      MQTT_CLIENT_ID: 'hazard-server-1',
      INFLUX_DB: 'hazard',
      STORE_FLUSH_MS: 1000,
      STORE_BATCH_POINTS: 5000,
      STORE_MAX_BUFFERED_POINTS: 1_000_000,
      MAX_PAYLOAD_BYTES: 1_048_576,
      REALTIME_TELEMETRY_MS: 500,
      LOG_LEVEL: 'log',
    });
    expect(sut.MQTT_URL).toBeUndefined();
    expect(sut.INFLUX_URL).toBeUndefined();
  });

  it('defaults SITE_FILE to the shipped demo park', () => {
    const sut = loadConfig({});

    expect(sut.SITE_FILE).toMatch(/deploy[/\\]demo-park\.yaml$/);
    expect(existsSync(sut.SITE_FILE)).toBe(true);
  });

  it('reads numbers from their string form', () => {
    const sut = loadConfig({ PORT: '9000', MQTT_PORT: '0', STORE_BATCH_POINTS: '250' });

    expect(sut).toMatchObject({ PORT: 9000, MQTT_PORT: 0, STORE_BATCH_POINTS: 250 });
  });

  it.each(['abc', '80.5', '-1', '65536'])('fails naming PORT when it is %p', (value) => {
    const sut = configError({ PORT: value });

    expect(sut.message).toContain(`PORT=${JSON.stringify(value)}: `);
  });

  it('treats an empty PORT or MQTT_PORT as unset, like an empty MQTT_URL, instead of picking a random port', () => {
    const sut = loadConfig({ PORT: '', MQTT_PORT: '' });

    expect(sut).toMatchObject({ PORT: 8080, MQTT_PORT: 1883 });
  });

  it('fails naming MQTT_URL when it is not an MQTT URL', () => {
    const sut = configError({ MQTT_URL: 'http://x' });

    expect(sut.message).toContain('MQTT_URL="http://x": must start with mqtt://');
  });

  it.each(['mqtt://broker:1883', 'mqtts://broker:8883', 'ws://broker/mqtt', 'tcp://10.0.0.1:1883'])(
    'accepts MQTT_URL %s',
    (url) => {
      expect(loadConfig({ MQTT_URL: url }).MQTT_URL).toBe(url);
    },
  );

  it.each(['', '   '])('treats an MQTT_URL of %p as unset, meaning the embedded broker', (value) => {
    expect(loadConfig({ MQTT_URL: value }).MQTT_URL).toBeUndefined();
  });

  it('accepts an http INFLUX_URL and rejects any other scheme', () => {
    expect(loadConfig({ INFLUX_URL: 'http://influx:8086' }).INFLUX_URL).toBe('http://influx:8086');
    expect(loadConfig({ INFLUX_URL: '' }).INFLUX_URL).toBeUndefined();
    expect(configError({ INFLUX_URL: 'mqtt://influx' }).message).toContain('INFLUX_URL="mqtt://influx": ');
  });

  it('names every bad key in one error', () => {
    const sut = configError({ PORT: 'abc', MQTT_URL: 'http://x', LOG_LEVEL: 'verbose', INFLUX_DB: 'my-db' });

    expect(sut.name).toBe('ConfigError');
    expect(sut.message.split('\n')).toEqual([
      'invalid configuration:',
      expect.stringMatching(/^ {2}PORT="abc": /),
      expect.stringMatching(/^ {2}MQTT_URL="http:\/\/x": /),
      expect.stringMatching(/^ {2}INFLUX_DB="my-db": /),
      expect.stringMatching(/^ {2}LOG_LEVEL="verbose": /),
    ]);
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });

  it('names the missing half of an MQTT TLS certificate/key pair', () => {
    const sut = configError({ MQTT_TLS_CERT: '/etc/hazard/server.crt' });

    expect(sut.message).toContain('MQTT_TLS_KEY="": MQTT_TLS_CERT and MQTT_TLS_KEY go together');
  });

  it('refuses an MQTT_ALLOW_ANONYMOUS that is not auto, true or false', () => {
    const sut = configError({ MQTT_ALLOW_ANONYMOUS: 'yes' });

    expect(sut.message).toContain('MQTT_ALLOW_ANONYMOUS="yes"');
  });

  it('defaults auth to a 12 h token, 5 failures a minute, and no fixed key or users file', () => {
    const sut = loadConfig({});

    expect(sut).toMatchObject({ JWT_TTL_H: 12, LOGIN_MAX_FAILURES: 5, LOGIN_WINDOW_S: 60 });
    expect(sut.JWT_SECRET).toBeUndefined();
    expect(sut.USERS_FILE).toBeUndefined();
    expect(loadConfig({ JWT_SECRET: '', USERS_FILE: '' })).toMatchObject({
      JWT_SECRET: undefined,
      USERS_FILE: undefined,
    });
  });

  it('refuses a JWT_SECRET shorter than 32 characters without printing it', () => {
    const sut = configError({ JWT_SECRET: 'short-secret' });

    expect(sut.message).toContain('JWT_SECRET=(12 characters, hidden): must be at least 32 characters');
    expect(sut.message).not.toContain('short-secret');
  });
});
