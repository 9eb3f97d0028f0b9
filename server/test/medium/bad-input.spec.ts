import { requireService } from '../../../test/harness/env';
import { telemetryTopic, type HealthResponse } from '../../src/contracts';
import { publishRaw, publishTelemetry, RealtimeProbe, startTestServer, waitFor, type TestServer } from './helpers';

describe('ingest of bad payloads through a real Mosquitto', () => {
  const mqttUrl = requireService('mqttUrl');
  let sut: TestServer;
  const topic = telemetryTopic('bjpc', 'tf01');

  beforeAll(async () => {
    sut = await startTestServer({ MQTT_URL: mqttUrl });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  async function health(): Promise<HealthResponse> {
    return (await (await fetch(`${sut.httpUrl}/api/health`)).json()) as HealthResponse;
  }

  it('counts each bad payload by reason, keeps the good points of a mixed message, and keeps running', async () => {
    const probe = RealtimeProbe.of(sut);
    try {
      await probe.firstSnapshot();
      const now = Date.now();
      await publishRaw(mqttUrl, [
        { topic, payload: 'not json at all' },
        { topic, payload: Buffer.from([0xff, 0x00, 0x13]) },
        { topic, payload: `{"ts": ${now}, "points": [{"tag": "LIA-102", "v": NaN}]}` },
        { topic, payload: JSON.stringify({ ts: 'yesterday', points: [{ tag: 'LIA-102', v: 1 }] }) },
        { topic, payload: JSON.stringify({ ts: now, points: [{ tag: 'LIA-102', v: 'high' }] }) },
        { topic, payload: JSON.stringify({ ts: now, points: [{ tag: 'NO-SUCH-TAG', v: 1 }] }) },
        {
          topic: 'hazard/v1/bjpc/nowhere/telemetry',
          payload: JSON.stringify({ ts: now, points: [{ tag: 'LIA-102', v: 1 }] }),
        },
        { topic: 'hazard/v1/bjpc', payload: '{}' },
        // One message, one bad point (Infinity via an overflowing literal) and two good ones: the good ones are kept.
        {
          topic,
          payload: `{"ts": ${now}, "points": [{"tag": "LIA-102", "v": 1e999}, {"tag": "TIA-102", "v": 21.5}, {"tag": "LIA-103", "v": 12.8}]}`,
        },
      ]);
      await waitFor(async () => (await health()).ingest.messages >= 9, 5000, 'nine messages to be ingested');
      const h = await health();
      expect(h.ingest.rejected).toEqual({
        not_json: 3,
        bad_envelope: 1,
        wrong_value_type: 1,
        unknown_tag: 1,
        unknown_source: 1,
        bad_topic: 1,
        bad_point: 1,
      });
      expect(h.ingest.points).toBe(2);
      // LIA-103 = 12.8 m is above its HH (12.6 m): the good point of the mixed message did raise its alarm.
      await waitFor(() => probe.alarms.some((a) => a.event.alarm.tag === 'LIA-103'), 5000, 'the LIA-103 alarm');
      expect(probe.alarms.map((a) => a.event.alarm.tag)).toEqual(['LIA-103']);

      // Still alive and still processing after the garbage.
      await publishTelemetry(mqttUrl, { ts: Date.now(), points: [{ tag: 'GIA-201', v: 30 }] });
      await waitFor(() => probe.alarms.some((a) => a.event.alarm.tag === 'GIA-201'), 5000, 'the GIA-201 first alarm');
      expect(h.status).toBe('ok');
      const metrics = await (await fetch(`${sut.httpUrl}/api/metrics`)).text();
      expect(metrics).toContain('hazard_ingest_rejected_total{reason="not_json"} 3');
    } finally {
      probe.close();
    }
  });
});
