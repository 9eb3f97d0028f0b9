import type { ParsedTopic } from '../contracts';
import { parseSiteYaml, SiteIndex } from '../site';
import { TelemetryEnvelopeSchema, TelemetryPointSchema } from '../contracts';
import { decodeTelemetry, fastEnvelope, fastPoint, type DecodeOptions, type RejectReason } from './json-v1.decoder';

const SITE_YAML = `
schemaVersion: 1
park: { id: p1, name: 测试园区 }
enterprises:
  - id: ent1
    name: 企业一
    code: 91320600MA1XXXXX9K
    address: 测试路 1 号
    sources:
      - id: src1
        name: 一号罐区
        kind: storage
        peopleWithin500m: 10
        chemicals: [{ chemical: methanol, quantityT: 800 }]
        responsible: { principal: { name: 甲 }, technical: { name: 乙 }, operations: { name: 丙 } }
        equipment:
          - id: T-1
            name: 1#储罐
            type: tank
            tankType: atmospheric
            capacityM3: 1000
            medium: methanol
            tags:
              - { tag: LI-1, name: 1#储罐液位, kind: level, unit: m, range: [0, 10], limits: { hh: 9, h: 8 } }
              - { tag: TI-1, name: 1#储罐温度, kind: temperature, unit: °C }
          - id: XV-1
            name: 进料切断阀
            type: esd_valve
            tags:
              - { tag: XV-1, name: 进料切断阀阀位, kind: valve_position }
          - id: SIS-1
            name: 高液位联锁
            type: sis_loop
            tripTags: [LI-1]
            closes: [XV-1]
            tags:
              - { tag: SIS-1, name: 高液位联锁状态, kind: sis_state }
      - id: src2
        name: 二号罐区
        kind: storage
        peopleWithin500m: 10
        chemicals: [{ chemical: methanol, quantityT: 800 }]
        responsible: { principal: { name: 甲 }, technical: { name: 乙 }, operations: { name: 丙 } }
        equipment:
          - id: T-2
            name: 2#储罐
            type: tank
            tankType: atmospheric
            capacityM3: 1000
            medium: methanol
            tags:
              - { tag: LI-2, name: 2#储罐液位, kind: level, unit: m }
  - id: ent2
    name: 企业二
    code: 91320600MA1XXXXX9K
    address: 测试路 1 号
    sources:
      - id: src3
        name: 三号罐区
        kind: storage
        peopleWithin500m: 10
        chemicals: [{ chemical: methanol, quantityT: 800 }]
        responsible: { principal: { name: 甲 }, technical: { name: 乙 }, operations: { name: 丙 } }
        equipment:
          - id: T-3
            name: 3#储罐
            type: tank
            tankType: atmospheric
            capacityM3: 1000
            medium: methanol
            tags:
              - { tag: LI-3, name: 3#储罐液位, kind: level, unit: m }
`;

const site = new SiteIndex(parseSiteYaml(SITE_YAML, 'inline.yaml'));
const NOW = 1_700_000_000_000;
const OPTS: DecodeOptions = { maxPayloadBytes: 1024, maxFutureSkewMs: 5000, nowMs: NOW };
const TOPIC: ParsedTopic = { enterpriseId: 'ent1', sourceId: 'src1', kind: 'telemetry' };

/** Decodes a message given as an object (serialised) or as raw text (for JSON that JSON.stringify cannot produce). */
function decode(body: unknown, topic: ParsedTopic = TOPIC, opts: DecodeOptions = OPTS) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return decodeTelemetry(topic, Buffer.from(text, 'utf8'), site, opts);
}

function reasons(result: { rejects: { reason: RejectReason }[] }): RejectReason[] {
  return result.rejects.map((r) => r.reason);
}

describe(decodeTelemetry.name, () => {
  describe('a valid message', () => {
    it('decodes every point with its site location, the envelope ts and quality good by default', () => {
      const sut = decode({
        ts: NOW,
        points: [
          { tag: 'LI-1', v: 7.25 },
          { tag: 'XV-1', v: 'closed' },
        ],
      });

      expect(sut.rejects).toEqual([]);
      expect(sut.points).toEqual([
        { enterpriseId: 'ent1', sourceId: 'src1', tag: 'LI-1', tsMs: NOW, v: 7.25, q: 'good' },
        { enterpriseId: 'ent1', sourceId: 'src1', tag: 'XV-1', tsMs: NOW, v: 'closed', q: 'good' },
      ]);
    });

    it('keeps an explicit quality', () => {
      const sut = decode({ ts: NOW, points: [{ tag: 'LI-1', v: 1, q: 'uncertain' }] });

      expect(sut.points[0]?.q).toBe('uncertain');
    });

    it('stamps a point with its own ts instead of the envelope ts', () => {
      const sut = decode({
        ts: NOW,
        points: [
          { tag: 'LI-1', v: 1, ts: NOW - 60_000 },
          { tag: 'TI-1', v: 20 },
        ],
      });

      expect(sut.points.map((p) => p.tsMs)).toEqual([NOW - 60_000, NOW]);
    });

    it('passes the publisher seq through', () => {
      const sut = decode({ ts: NOW, seq: 42, points: [{ tag: 'LI-1', v: 1 }] });

      expect(sut.seq).toBe(42);
    });

    it('has no seq when the publisher sent none', () => {
      const sut = decode({ ts: NOW, points: [{ tag: 'LI-1', v: 1 }] });

      expect(sut).not.toHaveProperty('seq');
    });

    it.each([
      ['a valve', 'XV-1', 'travel'],
      ['an SIS loop', 'SIS-1', 'bypassed'],
    ])('accepts a discrete state on %s', (_what, tag, v) => {
      const sut = decode({ ts: NOW, points: [{ tag, v }] });

      expect(sut.rejects).toEqual([]);
      expect(sut.points[0]?.v).toBe(v);
    });
  });

  describe('whole-message rejects', () => {
    it('rejects a payload over maxPayloadBytes as oversize without parsing it', () => {
      const sut = decode('x'.repeat(OPTS.maxPayloadBytes + 1));

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['oversize']);
      expect(sut.rejects[0]?.detail).toBe('1025 bytes > 1024');
    });

    it('accepts a payload of exactly maxPayloadBytes', () => {
      const json = JSON.stringify({ ts: NOW, points: [{ tag: 'LI-1', v: 1 }] });
      const sut = decode(json.padEnd(OPTS.maxPayloadBytes, ' '));

      expect(sut.rejects).toEqual([]);
      expect(sut.points).toHaveLength(1);
    });

    it('rejects a message for a source that is not in the site model', () => {
      const sut = decode({ ts: NOW, points: [{ tag: 'LI-1', v: 1 }] }, { ...TOPIC, sourceId: 'nowhere' });

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['unknown_source']);
      expect(sut.rejects[0]?.detail).toContain('"nowhere"');
    });

    it.each([
      ['plain text', 'not json at all'],
      ['truncated JSON', '{"ts": 1, "points": ['],
      ['bare NaN', `{"ts": ${NOW}, "points": [{"tag": "LI-1", "v": NaN}]}`],
    ])('rejects %s as not_json', (_what, text) => {
      const sut = decode(text);

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['not_json']);
    });

    it.each([
      { what: 'no ts', body: { points: [{ tag: 'LI-1', v: 1 }] }, where: 'ts' },
      { what: 'a string ts', body: { ts: 'yesterday', points: [{ tag: 'LI-1', v: 1 }] }, where: 'ts' },
      { what: 'a fractional ts', body: { ts: NOW + 0.5, points: [{ tag: 'LI-1', v: 1 }] }, where: 'ts' },
      { what: 'no points', body: { ts: NOW }, where: 'points' },
      { what: 'empty points', body: { ts: NOW, points: [] }, where: 'points' },
      { what: 'points that are not an array', body: { ts: NOW, points: { tag: 'LI-1', v: 1 } }, where: 'points' },
      { what: 'a negative seq', body: { ts: NOW, seq: -1, points: [{ tag: 'LI-1', v: 1 }] }, where: 'seq' },
      { what: 'a top-level array', body: [{ tag: 'LI-1', v: 1 }], where: '(root)' },
      { what: 'null', body: null, where: '(root)' },
    ])('rejects an envelope with $what as bad_envelope naming $where', ({ body, where }) => {
      const sut = decode(body);

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['bad_envelope']);
      expect(sut.rejects[0]?.detail.startsWith(`${where}: `)).toBe(true);
    });
  });

  describe('point rejects', () => {
    it('rejects a number that overflows to Infinity (1e400) as bad_point', () => {
      const sut = decode(`{"ts": ${NOW}, "points": [{"tag": "LI-1", "v": 1e400}]}`);

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['bad_point']);
      expect(sut.rejects[0]?.detail).toMatch(/^points\[0\]\.v: /);
    });

    it.each([
      { what: 'no tag', point: { v: 1 }, where: 'points[0].tag' },
      { what: 'an empty tag', point: { tag: '', v: 1 }, where: 'points[0].tag' },
      { what: 'an object value', point: { tag: 'LI-1', v: { value: 1 } }, where: 'points[0].v' },
      { what: 'a null value', point: { tag: 'LI-1', v: null }, where: 'points[0].v' },
      { what: 'no value', point: { tag: 'LI-1' }, where: 'points[0].v' },
      { what: 'a state string longer than any state', point: { tag: 'XV-1', v: 'c'.repeat(33) }, where: 'points[0].v' },
      { what: 'an unknown quality', point: { tag: 'LI-1', v: 1, q: 'excellent' }, where: 'points[0].q' },
      { what: 'a negative ts', point: { tag: 'LI-1', v: 1, ts: -5 }, where: 'points[0].ts' },
      { what: 'a string instead of an object', point: 'LI-1=1', where: 'points[0].' },
    ])('rejects a point with $what as bad_point naming $where', ({ point, where }) => {
      const sut = decode({ ts: NOW, points: [point] });

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['bad_point']);
      expect(sut.rejects[0]?.detail.startsWith(`${where}: `)).toBe(true);
    });

    it('rejects a tag that is not in the site model as unknown_tag', () => {
      const sut = decode({ ts: NOW, points: [{ tag: 'NO-SUCH-TAG', v: 1 }] });

      expect(reasons(sut)).toEqual(['unknown_tag']);
      expect(sut.rejects[0]?.detail).toContain('"NO-SUCH-TAG"');
    });

    it('rejects a tag of another hazard source as tag_source_mismatch', () => {
      const sut = decode({ ts: NOW, points: [{ tag: 'LI-2', v: 1 }] });

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['tag_source_mismatch']);
      expect(sut.rejects[0]?.detail).toContain('belongs to ent1/src2, not ent1/src1');
    });

    it('rejects a tag published under the wrong enterprise as tag_source_mismatch', () => {
      const sut = decode({ ts: NOW, points: [{ tag: 'LI-1', v: 1 }] }, { ...TOPIC, enterpriseId: 'ent2' });

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['tag_source_mismatch']);
    });

    it.each([
      ['a string on an analog tag', 'LI-1', 'high'],
      ['a boolean on an analog tag', 'LI-1', true],
      ['a number on a valve', 'XV-1', 1],
      ['an unknown valve state', 'XV-1', 'half-open'],
      ['a valve state on an SIS loop', 'SIS-1', 'open'],
      ['a boolean on an SIS loop', 'SIS-1', false],
    ])('rejects %s as wrong_value_type', (_what, tag, v) => {
      const sut = decode({ ts: NOW, points: [{ tag, v }] });

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['wrong_value_type']);
      expect(sut.rejects[0]?.detail).toContain(`points[0] ${tag}: expected`);
    });

    it('rejects an envelope ts further in the future than the allowed skew as bad_timestamp', () => {
      const sut = decode({ ts: NOW + OPTS.maxFutureSkewMs + 1, points: [{ tag: 'LI-1', v: 1 }] });

      expect(sut.points).toEqual([]);
      expect(reasons(sut)).toEqual(['bad_timestamp']);
    });

    it('accepts a ts exactly at the allowed skew', () => {
      const sut = decode({ ts: NOW + OPTS.maxFutureSkewMs, points: [{ tag: 'LI-1', v: 1 }] });

      expect(sut.rejects).toEqual([]);
      expect(sut.points).toHaveLength(1);
    });

    it('rejects a future per-point ts even when the envelope ts is fine', () => {
      const sut = decode({ ts: NOW, points: [{ tag: 'LI-1', v: 1, ts: NOW + 3_600_000 }] });

      expect(reasons(sut)).toEqual(['bad_timestamp']);
    });

    it('accepts a per-point ts that pulls a future envelope ts back into range', () => {
      const sut = decode({ ts: NOW + 3_600_000, points: [{ tag: 'LI-1', v: 1, ts: NOW }] });

      expect(sut.rejects).toEqual([]);
      expect(sut.points[0]?.tsMs).toBe(NOW);
    });
  });

  it('keeps the good points of a partly bad message and names each bad one by index', () => {
    const text = `{"ts": ${NOW}, "seq": 7, "points": [
      {"tag": "LI-1", "v": 5},
      {"tag": "LI-1", "v": 1e400},
      {"tag": "TI-1", "v": 21.5, "q": "uncertain"},
      {"tag": "NO-SUCH-TAG", "v": 1},
      {"tag": "XV-1", "v": "open"},
      {"tag": "LI-2", "v": 3},
      {"tag": "XV-1", "v": 100},
      {"tag": "TI-1", "v": 22, "ts": ${NOW + 3_600_000}},
      {"tag": "SIS-1", "v": "tripped", "ts": ${NOW - 1000}}
    ]}`;
    const sut = decode(text);

    expect(sut.points.map((p) => [p.tag, p.v, p.q, p.tsMs])).toEqual([
      ['LI-1', 5, 'good', NOW],
      ['TI-1', 21.5, 'uncertain', NOW],
      ['XV-1', 'open', 'good', NOW],
      ['SIS-1', 'tripped', 'good', NOW - 1000],
    ]);
    expect(sut.rejects.map((r) => [r.reason, r.detail.slice(0, 10)])).toEqual([
      ['bad_point', 'points[1].'],
      ['unknown_tag', 'points[3].'],
      ['tag_source_mismatch', 'points[5].'],
      ['wrong_value_type', 'points[6] '],
      ['bad_timestamp', 'points[7] '],
    ]);
    expect(sut.seq).toBe(7);
  });
});

/** Values that sit on and around every boundary the schemas draw, plus the wrong types. */
const EDGE_VALUES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -1,
  1,
  1.5,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '',
  'x',
  'open',
  'good',
  'bad',
  'uncertain',
  'GOOD',
  'a'.repeat(32),
  'a'.repeat(33),
  'a'.repeat(64),
  'a'.repeat(65),
  [],
  [1],
  {},
];

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible case. */
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

describe('hot-path checks agree with the contract schemas', () => {
  const rnd = prng(18218);
  const pick = (): unknown => EDGE_VALUES[Math.floor(rnd() * EDGE_VALUES.length)];
  const withKeys = (keys: string[]): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const k of keys) if (rnd() < 0.85) o[k] = pick();
    if (rnd() < 0.1) o['extra'] = pick();
    return o;
  };

  it('fastPoint accepts only what TelemetryPointSchema accepts, with the same data', () => {
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const raw = rnd() < 0.05 ? pick() : withKeys(['tag', 'v', 'q', 'ts']);
      const fast = fastPoint(raw);
      if (fast === undefined) continue;
      accepted++;
      const zod = TelemetryPointSchema.safeParse(raw);
      expect([raw, zod.success]).toEqual([raw, true]);
      expect(JSON.parse(JSON.stringify(fast))).toEqual(JSON.parse(JSON.stringify(zod.data)));
    }
    // The generator must exercise the accepting branch, or the property says nothing.
    expect(accepted).toBeGreaterThan(100);
  });

  it('fastPoint accepts every well-formed point, so zod stays off the hot path', () => {
    for (const raw of [
      { tag: 'LIA-101', v: 12.37 },
      { tag: 'XV-101', v: 'open', q: 'good', ts: 1_732_250_000_000 },
      { tag: 'B-1', v: true, q: 'uncertain' },
    ]) {
      expect(fastPoint(raw)).toMatchObject(raw);
    }
  });

  it('fastEnvelope accepts only what TelemetryEnvelopeSchema accepts, with the same data', () => {
    let accepted = 0;
    const arrays: unknown[] = [
      [],
      [1],
      Array.from({ length: 10_000 }, () => 0),
      Array.from({ length: 10_001 }, () => 0),
    ];
    for (let i = 0; i < 20_000; i++) {
      const raw = withKeys(['ts', 'seq']);
      if (rnd() < 0.9) raw['points'] = arrays[Math.floor(rnd() * arrays.length)];
      const fast = fastEnvelope(raw);
      if (fast === undefined) continue;
      accepted++;
      const zod = TelemetryEnvelopeSchema.safeParse(raw);
      expect(zod.success).toBe(true);
      expect(fast).toEqual(zod.data);
    }
    expect(accepted).toBeGreaterThan(50);
  });
});
