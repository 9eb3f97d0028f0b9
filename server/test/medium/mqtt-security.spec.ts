import mqtt, { type MqttClient } from 'mqtt';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findBinary, startMosquitto, type RunningService } from '../../../test/harness/services';
import { telemetryTopic } from '../../src/contracts';
import { startTestServer, waitFor, type TestServer } from './helpers';

const ACL_FILE = resolve(__dirname, '../../../deploy/mosquitto/acl');
const PARK = resolve(__dirname, '../../../deploy/demo-park.yaml');
const USERS = { 'hazard-server': 'pw-server', 'gw-bjpc-tf01': 'pw-tf01', 'gw-bjca-cl01': 'pw-cl01' } as const;

/** Writes a password file with Mosquitto's own `mosquitto_passwd`, so both brokers read what production uses. */
function writePasswordFile(dir: string): string {
  const bin = findBinary('mosquitto_passwd');
  if (!bin) throw new Error('mosquitto_passwd is missing: apt-get install -y mosquitto');
  const file = join(dir, 'passwd');
  Object.entries(USERS).forEach(([user, password], i) => {
    const args = [...(i === 0 ? ['-c'] : []), '-b', file, user, password];
    const res = spawnSync(bin, args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`mosquitto_passwd ${user}: ${res.stderr}`);
  });
  return file;
}

/** A self-signed certificate for 127.0.0.1 (openssl ships with Debian). */
function writeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  const res = spawnSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
    ],
    { encoding: 'utf8' },
  );
  if (res.status !== 0) throw new Error(`openssl could not make a test certificate: ${res.stderr}`);
  return { cert, key };
}

type Creds = { username?: string; password?: string };

let clientNo = 0;
function connect(url: string, creds: Creds, extra: mqtt.IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    clientId: `sec-${process.pid}-${++clientNo}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...creds,
    ...extra,
  });
}

/** The CONNACK return code of a refused connection (MQTT 3.1.1 §3.2.2.3), or 0 when it was accepted. */
async function connectCode(url: string, creds: Creds): Promise<number> {
  try {
    const c = await connect(url, creds);
    await c.endAsync();
    return 0;
  } catch (err) {
    return Number((err as { code?: number }).code ?? -1);
  }
}

/** A client that records what it receives on `hazard/v1/#`, as the server's own user. */
async function observer(url: string): Promise<{ client: MqttClient; topics: string[] }> {
  const client = await connect(url, { username: 'hazard-server', password: USERS['hazard-server'] });
  const topics: string[] = [];
  client.on('message', (topic) => topics.push(topic));
  await client.subscribeAsync('hazard/v1/#', { qos: 1 });
  return { client, topics };
}

/** Publishes once from a fresh connection; resolves whether or not the broker lets it through (or hangs up). */
async function publishOnce(url: string, creds: Creds, topic: string, payload: string, tls?: object): Promise<void> {
  const client = await connect(url, creds, tls);
  await Promise.race([
    client.publishAsync(topic, payload, { qos: 1 }).catch(() => undefined),
    new Promise<void>((r) => client.once('close', () => r())),
    new Promise<void>((r) => setTimeout(r, 2000)),
  ]);
  client.end(true);
}

const telemetry = (tag: string, v: number) => JSON.stringify({ ts: Date.now(), points: [{ tag, v }] });

/**
 * The same matrix against the embedded broker and a real Mosquitto, both reading the password file made by
 * `mosquitto_passwd` and the ACL shipped in deploy/mosquitto/acl: the demo's broker and production's agree.
 */
jest.setTimeout(20_000);

describe('MQTT security (embedded broker and Mosquitto, one password file and ACL)', () => {
  let dir: string;
  let passwordFile: string;
  let tls: { cert: string; key: string };
  let server: TestServer;
  let mosquitto: RunningService;
  const brokers: Record<'embedded' | 'mosquitto', () => string> = {
    embedded: () => server.mqttUrl,
    mosquitto: () => mosquitto.url,
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hazard-mqtt-sec-'));
    // Mosquitto started as root drops to its own user: the files must be readable by it, as under /etc/mosquitto.
    chmodSync(dir, 0o755);
    passwordFile = writePasswordFile(dir);
    chmodSync(passwordFile, 0o644);
    tls = writeCertificate(dir);
    [server, mosquitto] = await Promise.all([
      startTestServer({
        SITE_FILE: PARK,
        MQTT_PASSWORD_FILE: passwordFile,
        MQTT_ACL_FILE: ACL_FILE,
        MQTT_TLS_CERT: tls.cert,
        MQTT_TLS_KEY: tls.key,
        MQTT_TLS_PORT: '0',
      }),
      startMosquitto({ auth: { passwordFile, aclFile: ACL_FILE } }),
    ]);
  });

  afterAll(async () => {
    await server?.stop();
    await mosquitto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(['embedded', 'mosquitto'] as const)('%s', (name) => {
    it('refuses anonymous clients and wrong passwords', async () => {
      const url = brokers[name]();
      expect(await connectCode(url, {})).toBeGreaterThan(0);
      expect(await connectCode(url, { username: 'gw-bjpc-tf01', password: 'wrong' })).toBeGreaterThan(0);
      expect(await connectCode(url, { username: 'nobody', password: 'pw-tf01' })).toBeGreaterThan(0);
      expect(await connectCode(url, { username: 'gw-bjpc-tf01', password: USERS['gw-bjpc-tf01'] })).toBe(0);
    });

    it('delivers a gateway’s own enterprise topics and nothing of another enterprise', async () => {
      const url = brokers[name]();
      const seen = await observer(url);
      try {
        const tf01 = { username: 'gw-bjpc-tf01', password: USERS['gw-bjpc-tf01'] };
        await publishOnce(url, tf01, telemetryTopic('bjca', 'cl01'), telemetry('LIA-2101', 99));
        await publishOnce(url, tf01, telemetryTopic('bjpc', 'tf01'), telemetry('LIA-101', 5));
        await waitFor(() => seen.topics.includes(telemetryTopic('bjpc', 'tf01')), 5000, 'the allowed message');
        await new Promise((r) => setTimeout(r, 200));
        expect(seen.topics).not.toContain(telemetryTopic('bjca', 'cl01'));
      } finally {
        await seen.client.endAsync();
      }
    });

    it('delivers nothing to a subscription outside the ACL', async () => {
      const url = brokers[name]();
      const gw = await connect(url, { username: 'gw-bjpc-tf01', password: USERS['gw-bjpc-tf01'] });
      const received: string[] = [];
      gw.on('message', (topic) => received.push(topic));
      try {
        // Mosquitto grants the SUBACK and filters each message; aedes answers 0x80 (MQTT 3.1.1 §3.9.3). Either
        // way nothing of another enterprise reaches the gateway.
        await gw.subscribeAsync('hazard/v1/#', { qos: 1 }).catch(() => undefined);
        const seen = await observer(url);
        try {
          const cl01 = { username: 'gw-bjca-cl01', password: USERS['gw-bjca-cl01'] };
          await publishOnce(url, cl01, telemetryTopic('bjca', 'cl01'), telemetry('LIA-2101', 50));
          await waitFor(() => seen.topics.includes(telemetryTopic('bjca', 'cl01')), 5000, 'the chlorine message');
          await new Promise((r) => setTimeout(r, 200));
          expect(received).toEqual([]);
        } finally {
          await seen.client.endAsync();
        }
      } finally {
        await gw.endAsync();
      }
    });
  });

  describe('embedded broker inside the server', () => {
    const metric = async (name: string): Promise<number> => {
      const text = await (await server.request(`/api/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(name));
      return line ? Number(line.split(' ').pop()) : NaN;
    };

    it('names the refusal code: 4 for a bad password, 5 for an anonymous client (MQTT 3.1.1 §3.2.2.3)', async () => {
      expect(await connectCode(server.mqttUrl, {})).toBe(5);
      expect(await connectCode(server.mqttUrl, { username: 'gw-bjca-cl01', password: 'x' })).toBe(4);
    });

    it('ingests an authorised gateway, drops and counts what the ACL refuses', async () => {
      const pointsBefore = await metric('hazard_ingest_points_total');
      const refusedBefore = await metric('hazard_mqtt_refused_total{what="publish"}');
      const tf01 = { username: 'gw-bjpc-tf01', password: USERS['gw-bjpc-tf01'] };
      await publishOnce(server.mqttUrl, tf01, telemetryTopic('bjca', 'cl01'), telemetry('LIA-2101', 99));
      await publishOnce(server.mqttUrl, tf01, telemetryTopic('bjpc', 'tf01'), telemetry('LIA-101', 5));
      await waitFor(async () => (await metric('hazard_ingest_points_total')) === pointsBefore + 1, 5000, 'one point');
      expect(await metric('hazard_mqtt_refused_total{what="publish"}')).toBe(refusedBefore + 1);
      // The refused HH value of the chlorine tank raised nothing.
      const alarms = (await (await server.request(`/api/alarms?state=all`)).json()) as { tag: string }[];
      expect(alarms.map((a) => a.tag)).not.toContain('LIA-2101');
    });

    it('refuses a gateway whose last will lies outside its enterprise', async () => {
      const will = { topic: 'hazard/v1/bjca/cl01/status', payload: Buffer.from('{"online":false}'), qos: 1 as const };
      await expect(
        connect(server.mqttUrl, { username: 'gw-bjpc-tf01', password: USERS['gw-bjpc-tf01'] }, { will }),
      ).rejects.toMatchObject({ code: 5 });
    });

    it('serves MQTT over TLS with the configured certificate, and refuses plain MQTT on that port', async () => {
      const port = server.mqttTlsPort;
      expect(port).toBeGreaterThan(0);
      const ca = readFileSync(tls.cert);
      const seen = await observer(server.mqttUrl);
      try {
        const tf01 = { username: 'gw-bjpc-tf01', password: USERS['gw-bjpc-tf01'] };
        await publishOnce(`mqtts://127.0.0.1:${port}`, tf01, telemetryTopic('bjpc', 'tf01'), telemetry('LIA-101', 6), {
          ca,
        });
        await waitFor(() => seen.topics.includes(telemetryTopic('bjpc', 'tf01')), 5000, 'the message sent over TLS');
      } finally {
        await seen.client.endAsync();
      }
      expect(await connectsWithin(`mqtt://127.0.0.1:${port}`, 2000)).toBe(false);
    });
  });
});

/** Whether a plain MQTT connection is accepted within the time (mqtt.js does not reject on a bare close). */
function connectsWithin(url: string, timeoutMs: number): Promise<boolean> {
  const client = mqtt.connect(url, {
    ...{ clientId: `sec-${process.pid}-${++clientNo}`, reconnectPeriod: 0, connectTimeout: timeoutMs },
    ...{ username: 'gw-bjpc-tf01', password: USERS['gw-bjpc-tf01'] },
  });
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
    client.once('connect', () => resolve(true));
    client.once('error', () => resolve(false));
    client.once('close', () => resolve(false));
  }).finally(() => client.end(true));
}
