import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import {
  GatewayStatusSchema,
  parseTopic,
  TelemetryEnvelopeSchema,
  TelemetryPointSchema,
  type SiteModel,
} from '@hazard/server/contracts';
import { loadSiteFile } from '@hazard/server/site';
import { connectAsync, type MqttClient } from 'mqtt';
import { publishPoints } from './publishers/json-v1.publisher';
import { startSimulator } from './sim';

// Medium tests against a real broker: the repo's Jest globalSetup starts Mosquitto and sets this variable.
const MQTT_URL_ENV = 'HAZARD_TEST_MQTT_URL';

function brokerUrl(): string {
  const url = process.env[MQTT_URL_ENV];
  if (!url) {
    throw new Error(
      `${MQTT_URL_ENV} is not set: run the tests from the repo root (npx jest --selectProjects simulators), whose ` +
        `globalSetup starts Mosquitto, or point ${MQTT_URL_ENV} at a broker (e.g. mqtt://127.0.0.1:18830)`,
    );
  }
  return url;
}

interface Received {
  topic: string;
  payload: unknown;
  retain: boolean;
}

/** An independent subscriber: it checks the wire, not our publisher's view of it. */
async function subscribe(url: string, filter: string): Promise<{ client: MqttClient; received: Received[] }> {
  const client = await connectAsync(url, {
    clientId: `sim-spec-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: 0,
  });
  const received: Received[] = [];
  client.on('message', (topic, payload, packet) => {
    received.push({
      topic,
      payload: payload.length > 0 ? JSON.parse(payload.toString('utf8')) : null,
      retain: packet.retain,
    });
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, received };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let url: string;
let subscriber: MqttClient | undefined;
beforeAll(() => {
  url = brokerUrl();
});
afterEach(async () => {
  await subscriber?.endAsync();
  subscriber = undefined;
});

describe(startSimulator.name, () => {
  it('publishes valid telemetry per hazard source over a real broker, framed by online and offline status', async () => {
    const demo = loadSiteFile(resolve(__dirname, '../../deploy/demo-site.yaml'));
    const enterpriseId = `spec-${randomBytes(4).toString('hex')}`;
    const site: SiteModel = { ...demo, enterprises: demo.enterprises.map((e) => ({ ...e, id: enterpriseId })) };
    const tagCount = site.enterprises[0]?.sources[0]?.equipment.flatMap((q) => q.tags).length;
    const sub = await subscribe(url, `hazard/v1/${enterpriseId}/#`);
    subscriber = sub.client;
    const kinds = (): Array<string | undefined> => sub.received.map((m) => parseTopic(m.topic)?.kind);

    const sut = await startSimulator({ url, site, rateHz: 20, seed: 1, excursion: false });
    await waitFor('3 telemetry messages', () => kinds().filter((k) => k === 'telemetry').length >= 3);
    await sut.stop();
    await waitFor('the offline status', () => kinds().lastIndexOf('status') > kinds().indexOf('telemetry'));

    const statuses = sub.received.filter((m) => parseTopic(m.topic)?.kind === 'status');
    const telemetry = sub.received.filter((m) => parseTopic(m.topic)?.kind === 'telemetry');
    expect(statuses.map((s) => GatewayStatusSchema.parse(s.payload).online)).toEqual([true, false]);
    expect(kinds()[0]).toBe('status');
    for (const { topic, payload } of telemetry) {
      expect(topic).toBe(`hazard/v1/${enterpriseId}/tf01/telemetry`);
      const envelope = TelemetryEnvelopeSchema.parse(payload);
      expect(envelope.points).toHaveLength(tagCount ?? -1);
      for (const point of envelope.points) TelemetryPointSchema.parse(point);
    }
    expect(telemetry.map((m) => TelemetryEnvelopeSchema.parse(m.payload).seq)).toEqual(telemetry.map((_, i) => i));
    expect(sut.stats()).toMatchObject({ messages: telemetry.length, errors: 0, running: false });

    await publishRetainedClear(url, `hazard/v1/${enterpriseId}/tf01/status`);
  });
});

describe(publishPoints.name, () => {
  it('delivers one QoS 1 message with a HIHI value to a subscriber', async () => {
    const sourceId = `spec-${randomBytes(4).toString('hex')}`;
    const sub = await subscribe(url, `hazard/v1/bjpc/${sourceId}/telemetry`);
    subscriber = sub.client;

    await publishPoints(url, 'bjpc', sourceId, [{ tag: 'LIA-101', v: 14.6 }], { ts: 1_732_250_000_000, seq: 7 });
    await waitFor('the message', () => sub.received.length === 1);

    expect(sub.received[0]?.payload).toEqual({ ts: 1_732_250_000_000, seq: 7, points: [{ tag: 'LIA-101', v: 14.6 }] });
  });
});

/** Removes a retained status so the shared test broker does not accumulate them. */
async function publishRetainedClear(url: string, topic: string): Promise<void> {
  const client = await connectAsync(url, { reconnectPeriod: 0 });
  await client.publishAsync(topic, '', { qos: 1, retain: true });
  await client.endAsync();
}
