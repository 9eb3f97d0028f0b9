import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { join } from 'node:path';
import type { HealthResponse } from '../../src/contracts';
import { encodeSparkplug } from '../../src/ingest/sparkplug/sparkplug.codec';
import { startTestServer, waitFor, type TestServer } from './helpers';

const MQTT_URL = process.env.HAZARD_TEST_MQTT_URL!;
const MESSAGES = 100_000;
const MAX_PAYLOAD_BYTES = 8192;
const TELEMETRY = 'hazard/v1/bjpc/tf01/telemetry';
/** Numeric tags of bjpc/tf01 in the demo site, and a valve. */
const NUMERIC = ['TIA-101', 'TIA-102', 'PIA-101', 'PIA-102', 'LIA-101'];

/** mulberry32: a small seeded PRNG, so a failure can be replayed exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fuzzed {
  topic: string;
  payload: Buffer;
}

/**
 * Malformed JSON v1 traffic with what the server must make of it: every message carries at least one fault; the
 * generator counts the rejects it expects by reason and the valid points it expects stored.
 */
class Generator {
  readonly expected: Record<string, number> = {};
  validPoints = 0;
  private readonly rnd: () => number;
  private nextTs: number;

  constructor(seed: number) {
    this.rnd = prng(seed);
    // Unique timestamps for every valid point, an hour ago, so stored rows identify points one to one.
    this.nextTs = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  private expect(reason: string, n = 1): void {
    this.expected[reason] = (this.expected[reason] ?? 0) + n;
  }

  /** What the server decodes from a whole payload that is not a valid envelope. */
  private classify(payload: Buffer): void {
    try {
      JSON.parse(payload.toString('utf8'));
      this.expect('bad_envelope');
    } catch {
      this.expect('not_json');
    }
  }

  next(): Fuzzed {
    const kind = Math.floor(this.rnd() * 9);
    switch (kind) {
      case 0: {
        // Random bytes.
        const payload = Buffer.alloc(1 + Math.floor(this.rnd() * 200));
        for (let i = 0; i < payload.length; i++) payload[i] = Math.floor(this.rnd() * 256);
        this.classify(payload);
        return { topic: TELEMETRY, payload };
      }
      case 1: {
        // A valid message cut short.
        const whole = JSON.stringify({ ts: Date.now(), points: [{ tag: 'TIA-101', v: 21.5 }] });
        const payload = Buffer.from(whole.slice(0, Math.floor(this.rnd() * (whole.length - 1)) + 1));
        this.classify(payload);
        return { topic: TELEMETRY, payload };
      }
      case 2: {
        // Wrong envelope types, NaN / Infinity literals (not JSON), overflowing numbers.
        const text = this.pick([
          '{"ts":"yesterday","points":[{"tag":"TIA-101","v":1}]}',
          '{"ts":1732250000000,"points":[]}',
          '{"ts":1732250000000,"points":{"tag":"TIA-101"}}',
          '{"points":[{"tag":"TIA-101","v":1}]}',
          '{"ts":1e999,"points":[{"tag":"TIA-101","v":1}]}',
          '{"ts":-5,"points":[{"tag":"TIA-101","v":1}]}',
          '{"ts":1732250000000,"seq":-1,"points":[{"tag":"TIA-101","v":1}]}',
          '{"ts":1732250000000,"points":[{"tag":"TIA-101","v":NaN}]}',
          '{"ts":1732250000000,"points":[{"tag":"TIA-101","v":Infinity}]}',
          '[1,2,3]',
          'null',
          '42',
          '"points"',
          '{"ts":1732250000000,"points":[' + '[[[[[[[[[[' + ']]]]]]]]]]' + ']}',
        ]);
        const payload = Buffer.from(text);
        if (text.includes('[[[[')) this.expect('bad_point');
        else this.classify(payload);
        return { topic: TELEMETRY, payload };
      }
      case 3: {
        // Oversize: a valid message padded past MAX_PAYLOAD_BYTES.
        const pad = 'x'.repeat(MAX_PAYLOAD_BYTES + Math.floor(this.rnd() * 1000));
        this.expect('oversize');
        return { topic: TELEMETRY, payload: Buffer.from(JSON.stringify({ ts: Date.now(), points: [], pad })) };
      }
      case 4: {
        // A source the site does not know.
        this.expect('unknown_source');
        return {
          topic: `hazard/v1/bjpc/${this.pick(['nosuch', 'tf99', 'TF01'])}/telemetry`,
          payload: Buffer.from(JSON.stringify({ ts: Date.now(), points: [{ tag: 'TIA-101', v: 20 }] })),
        };
      }
      case 5: {
        // Topics under hazard/v1/ of the wrong shape.
        this.expect('bad_topic');
        return {
          topic: this.pick([
            'hazard/v1/bjpc',
            'hazard/v1/bjpc/tf01',
            'hazard/v1/bjpc/tf01/telemetry/x',
            'hazard/v1/bjpc/tf01/data',
          ]),
          payload: Buffer.from('{}'),
        };
      }
      case 6: {
        // Tags of bjpc/tf01 sent under another enterprise.
        this.expect('tag_source_mismatch');
        return {
          topic: 'hazard/v1/other/tf01/telemetry',
          payload: Buffer.from(JSON.stringify({ ts: Date.now(), points: [{ tag: 'TIA-101', v: 20 }] })),
        };
      }
      default: {
        // Mixed: valid points between bad ones; the valid ones must be stored.
        const points: unknown[] = [];
        const n = 2 + Math.floor(this.rnd() * 6);
        for (let i = 0; i < n; i++) {
          const fault = Math.floor(this.rnd() * 7);
          switch (fault) {
            case 0:
              points.push({ tag: 'TIA-101', v: { nested: [1, 2] } });
              this.expect('bad_point');
              break;
            case 1:
              points.push({ tag: 'NO-SUCH-TAG', v: 1 });
              this.expect('unknown_tag');
              break;
            case 2:
              points.push({ tag: this.pick(NUMERIC), v: 'open' });
              this.expect('wrong_value_type');
              break;
            case 3:
              points.push({ tag: 'XV-101', v: 12.5 });
              this.expect('wrong_value_type');
              break;
            case 4:
              points.push({ tag: this.pick(NUMERIC), v: 1, ts: Date.now() + 24 * 3_600_000 });
              this.expect('bad_timestamp');
              break;
            default:
              points.push({ tag: this.pick(NUMERIC), v: Math.round(this.rnd() * 100) / 100, ts: this.nextTs++ });
              this.validPoints++;
          }
        }
        // At least one fault per message, so every message is malformed.
        points.push({ q: 'good' });
        this.expect('bad_point');
        return { topic: TELEMETRY, payload: Buffer.from(JSON.stringify({ ts: Date.now(), points })) };
      }
    }
  }
}

describe('fuzz: 100,000 malformed JSON v1 and 30,000 malformed Sparkplug B messages through a real Mosquitto', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      MQTT_URL,
      MQTT_CLIENT_ID: `hazard-fuzz-${process.pid}`,
      MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
      STORE_FLUSH_MS: '200',
    });
  }, 60_000);

  afterAll(() => server?.stop(), 30_000);

  it('stays alive, counts every fault by reason, and stores the good points of mixed messages', async () => {
    const gen = new Generator(20261123);
    const client = await mqtt.connectAsync(MQTT_URL, { clientId: `fuzzer-${process.pid}`, reconnectPeriod: 0 });
    const windowSize = 500;
    const inFlight = new Set<Promise<unknown>>();
    const startMs = Date.now();
    for (let i = 0; i < MESSAGES; i++) {
      const { topic, payload } = gen.next();
      const p = client.publishAsync(topic, payload, { qos: 1 }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= windowSize) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await client.endAsync();
    const publishS = (Date.now() - startMs) / 1000;

    const health = async () => (await (await fetch(`${server.httpUrl}/api/health`)).json()) as HealthResponse;
    await waitFor(async () => (await health()).ingest.messages >= MESSAGES, 60_000, `${MESSAGES} messages ingested`);
    const h = await health();
    expect(h.ingest.messages).toBe(MESSAGES);
    // Every reject counted under its reason, nothing else.
    const rejected = Object.fromEntries(Object.entries(h.ingest.rejected).filter(([, n]) => n > 0));
    expect(rejected).toEqual(gen.expected);
    expect(h.broker.ok).toBe(true);

    // The valid points of the mixed messages, each exactly once.
    await waitFor(async () => (await health()).ingest.storedPoints >= gen.validPoints, 30_000, 'valid points stored');
    const db = new Database(join(server.dataDir, 'telemetry.sqlite'), { readonly: true });
    try {
      const n = (db.prepare('SELECT COUNT(*) AS n FROM telemetry').get() as { n: number }).n;
      expect(n).toBe(gen.validPoints);
    } finally {
      db.close();
    }
    expect(gen.validPoints).toBeGreaterThan(10_000);
    process.stderr.write(
      `[fuzz] ${MESSAGES} malformed messages in ${publishS.toFixed(1)} s; rejects ${JSON.stringify(gen.expected)}; ` +
        `${gen.validPoints} good points kept\n`,
    );
  }, 180_000);

  it('takes protobuf garbage on spBv1.0 the same way: alive, counted by reason, good metrics stored', async () => {
    const health = async () => (await (await fetch(`${server.httpUrl}/api/health`)).json()) as HealthResponse;
    const before = await health();
    const rnd = prng(7);
    const expected: Record<string, number> = {};
    const count = (reason: string, n = 1) => (expected[reason] = (expected[reason] ?? 0) + n);
    const node = 'spBv1.0/BJPC/NDATA/TF01-GW';
    const spStartMs = Math.floor(Date.now() / 1000) * 1000 - 7_200_000;
    let ts = spStartMs;
    let good = 0;
    const client = await mqtt.connectAsync(MQTT_URL, { clientId: `spfuzzer-${process.pid}`, reconnectPeriod: 0 });
    // A proper birth first, so that data messages can be judged metric by metric.
    let seq = 0;
    await client.publishAsync(
      'spBv1.0/BJPC/NBIRTH/TF01-GW',
      encodeSparkplug({
        timestamp: ts,
        seq: 0,
        metrics: [
          { name: 'bdSeq', type: 'UInt64', value: 1 },
          { name: 'T-101/Temperature', alias: 1, type: 'Float', value: 20, timestamp: ts++ } as never,
        ],
      }),
      { qos: 1 },
    );
    good++;
    const total = 30_000;
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < total; i++) {
      const kind = Math.floor(rnd() * 4);
      let topic = node;
      let payload: Buffer;
      if (kind === 0) {
        // Wire type 7 on a field the Payload message does not define (0 or ≥ 6): the decoder must skip it and cannot.
        // (Known fields 1–5 are read by their declared type whatever the wire type says, so they could decode.)
        payload = Buffer.alloc(2 + Math.floor(rnd() * 100));
        for (let b = 0; b < payload.length; b++) payload[b] = Math.floor(rnd() * 256);
        const field = rnd() < 0.2 ? 0 : 6 + Math.floor(rnd() * 9);
        payload[0] = (field << 3) | 7;
        count('bad_protobuf');
      } else if (kind === 1) {
        topic = rnd() < 0.5 ? 'spBv1.0/NOPE/NDATA/GW-9' : 'spBv1.0/BJPC/NDATA/OTHER-GW';
        payload = encodeSparkplug({ timestamp: ts, seq: 0, metrics: [] });
        count('unknown_edge_node');
      } else if (kind === 2) {
        topic = rnd() < 0.5 ? 'spBv1.0/BJPC/XDATA/TF01-GW' : 'spBv1.0/BJPC/DDATA/TF01-GW';
        payload = Buffer.from([0x08, 0x01]);
        count('bad_topic');
      } else {
        // Mixed metrics in a well-sequenced NDATA: one good, one unknown metric, one wrong type.
        seq = (seq + 1) % 256;
        payload = encodeSparkplug({
          timestamp: ts,
          seq,
          metrics: [
            { name: 'T-101/Temperature', type: 'Float', value: Math.round(rnd() * 300) / 10, timestamp: ts++ },
            { name: 'NO/SUCH/METRIC', type: 'Float', value: 1 },
            { name: 'XV-101/Position', type: 'Float', value: 3 },
          ] as never,
        });
        good++;
        count('unknown_metric');
        count('wrong_value_type');
      }
      const p = client.publishAsync(topic, payload, { qos: 1 }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 500) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await client.endAsync();

    const sent = total + 1;
    await waitFor(
      async () => (await health()).ingest.messages - before.ingest.messages >= sent,
      60_000,
      'all ingested',
    );
    const after = await health();
    expect(after.ingest.messages - before.ingest.messages).toBe(sent);
    const delta: Record<string, number> = {};
    for (const [reason, n] of Object.entries(after.ingest.rejected)) {
      const d = n - (before.ingest.rejected[reason] ?? 0);
      if (d > 0) delta[reason] = d;
    }
    expect(delta).toEqual(expected);
    const node0 = after.sparkplug.nodes.find((n) => n.edgeNodeId === 'TF01-GW')!;
    expect(node0).toMatchObject({ online: true, seqGaps: 0 });
    await waitFor(
      async () => (await health()).ingest.storedPoints - before.ingest.storedPoints >= good,
      30_000,
      'good metrics stored',
    );
    const db = new Database(join(server.dataDir, 'telemetry.sqlite'), { readonly: true });
    try {
      const n = (
        db
          .prepare("SELECT COUNT(*) AS n FROM telemetry WHERE tag = 'TIA-101' AND ts >= ? AND ts < ?")
          .get(spStartMs, spStartMs + total + 10) as { n: number }
      ).n;
      expect(n).toBe(good);
    } finally {
      db.close();
    }
    process.stderr.write(
      `[fuzz] ${total} malformed Sparkplug messages; rejects ${JSON.stringify(expected)}; ${good} good metrics kept\n`,
    );
  }, 180_000);
});
