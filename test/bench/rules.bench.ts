import { cpus } from 'node:os';
import type { SamplePoint, SiteModel } from '@hazard/server/contracts';
import type { ConditionInput } from '../../server/src/alarms/lifecycle';
import { RulesEngine } from '../../server/src/rules/rules.engine';
import { SiteIndex, validateSite } from '../../server/src/site';
import { resolveSite } from '../../server/src/site/site.resolve';
import { pick } from './mode';

/**
 * Rule evaluation cost per point (DESIGN.md §2: a park of tens of thousands of tags at 1 Hz on one process).
 * A generated site of 200 hazard sources × 100 tags = 20,000 tags, every rule family in use: limits on every
 * analog tag (GB/T 50493 defaults on the detectors), ROC on every level, flat line on every pressure, STALE,
 * BAD_QUALITY and OUT_OF_RANGE everywhere, valves with their loops' demand, SIS loops, and per source a 2oo3 vote
 * and a gas-plus-open-valve composite. One "second" publishes every tag once, in normal operation with noise and
 * 1 % of the gas detectors crossing their first alarm and back, so alarms do change.
 *
 * Pure CPU: no broker or database. Run: `npx jest -c test/bench/jest.config.js test/bench/rules.bench.ts`.
 */
const SOURCES = 200;
const TANKS = 10; // × level, temperature, pressure
const DETECTORS = 40;
const VALVES = 15; // each with its SIS loop
// Quick mode (BENCH_QUICK=1) simulates a tenth of the seconds: enough to check the case, not to quote it.
const WARMUP_SECONDS = pick(30, 3);
const MEASURED_SECONDS = pick(120, 12);
const TARGET_NS_PER_POINT = 2000;

function generatedSite(): SiteModel {
  const people = { name: '甲' };
  const doc = {
    schemaVersion: 1,
    park: { id: 'bench', name: '基准园区' },
    enterprises: [
      {
        id: 'e1',
        name: '基准企业',
        code: '91320600MA1XXXXX9K',
        address: '基准路 1 号',
        sources: Array.from({ length: SOURCES }, (_, s) => {
          const tag = (kind: string, n: number) => `${kind}-${s}-${n}`;
          const tanks = Array.from({ length: TANKS }, (_, t) => ({
            id: `T-${t}`,
            name: `${t}#罐`,
            type: 'tank',
            tankType: 'atmospheric',
            capacityM3: 5000,
            medium: 'methanol',
            tags: [
              {
                tag: tag('LIA', t),
                name: '液位',
                kind: 'level',
                unit: 'm',
                range: [0, 16],
                limits: { hh: 14.4, h: 13.6, l: 2.4, ll: 1.6, deadband: 0.1, onDelayS: 2 },
                rateOfChange: { risePerMin: 1, fallPerMin: 1, windowS: 300 },
              },
              {
                tag: tag('TIA', t),
                name: '温度',
                kind: 'temperature',
                unit: '°C',
                range: [-20, 80],
                limits: { hh: 45, h: 40 },
              },
              {
                tag: tag('PIA', t),
                name: '压力',
                kind: 'pressure',
                unit: 'kPa',
                range: [-2, 6],
                limits: { hh: 2, h: 1.8, l: -0.3, ll: -0.5 },
                flatline: { afterMin: 30, tolerance: 0.001 },
              },
            ],
          }));
          const detectors = Array.from({ length: DETECTORS }, (_, d) => ({
            id: `GD-${d}`,
            name: `${d}#探测器`,
            type: 'gas_detector',
            detection: 'combustible',
            tags: [{ tag: tag('GIA', d), name: '可燃气体', kind: 'gas', unit: '%LEL', range: [0, 100] }],
          }));
          const valves = Array.from({ length: VALVES }, (_, v) => ({
            id: `XV-${v}`,
            name: `${v}#切断阀`,
            type: 'esd_valve',
            travelTimeS: 10,
            tags: [{ tag: tag('XV', v), name: '阀位', kind: 'valve_position' }],
          }));
          const loops = Array.from({ length: VALVES }, (_, v) => ({
            id: `SIS-${v}`,
            name: `${v}#联锁`,
            type: 'sis_loop',
            tripTags: [tag('LIA', v % TANKS)],
            closes: [`XV-${v}`],
            tags: [{ tag: tag('XS', v), name: '联锁状态', kind: 'sis_state' }],
          }));
          return {
            id: `s${s}`,
            name: `${s}#单元`,
            kind: 'storage',
            peopleWithin500m: 10,
            chemicals: [{ chemical: 'methanol', quantityT: 8000 }],
            responsible: { principal: people, technical: people, operations: people },
            equipment: [...tanks, ...detectors, ...valves, ...loops],
            composites: [
              { id: `VOTE-${s}`, name: '2oo3', type: 'vote', members: [0, 1, 2].map((d) => tag('GIA', d)), k: 2 },
              { id: `GVO-${s}`, name: '气体+阀', type: 'gas_valve_open' },
            ],
          };
        }),
      },
    ],
  };
  const r = validateSite(doc);
  if (!r.ok) throw new Error(`generated site invalid: ${JSON.stringify(r.problems.slice(0, 3))}`);
  return resolveSite(r.site);
}

/** One reusable point per tag (ingest allocates its points; the rules must not add to that). */
function pointsOf(index: SiteIndex): SamplePoint[] {
  return index.tagList.map((info) => ({
    enterpriseId: info.enterpriseId,
    sourceId: info.sourceId,
    tag: info.def.tag,
    tsMs: 0,
    v: info.def.kind === 'valve_position' ? 'open' : info.def.kind === 'sis_state' ? 'normal' : 0,
    q: 'good' as const,
  }));
}

/** The value of point `i` in second `s`: noise around a normal value; 1 % of detectors cross H for 10 s a minute. */
function valueAt(p: SamplePoint, i: number, s: number): void {
  if (typeof p.v !== 'number') return;
  const noise = Math.sin(i * 12.9898 + s * 0.7) * 0.05;
  const kind = p.tag.charCodeAt(0);
  if (kind === 71 /* G */) p.v = i % 100 === 0 && s % 60 < 10 ? 30 : 2 + noise;
  else if (kind === 76 /* L */) p.v = 8 + noise;
  else if (kind === 84 /* T */) p.v = 25 + noise;
  else p.v = 0.5 + noise;
}

describe('benchmark: rule evaluation per point, 20,000 tags', () => {
  it(`evaluates every rule in well under ${TARGET_NS_PER_POINT} ns a point`, () => {
    const index = new SiteIndex(generatedSite());
    const t0 = 1_750_000_000_000;
    const engine = new RulesEngine(index, { defaultMaxAgeS: 60 });
    let changes = 0;
    const host = { emit: (_: ConditionInput) => void changes++ };
    const points = pointsOf(index);
    const n = points.length;
    let evalNs = 0n;
    let tickNs = 0n;
    let evaluated = 0;
    for (let s = 0; s < WARMUP_SECONDS + MEASURED_SECONDS; s++) {
      const nowMs = t0 + s * 1000;
      for (let i = 0; i < n; i++) {
        const p = points[i]!;
        p.tsMs = nowMs;
        valueAt(p, i, s);
      }
      const a = process.hrtime.bigint();
      for (let i = 0; i < n; i++) engine.evaluate(points[i]!, nowMs, host);
      const b = process.hrtime.bigint();
      engine.tick(nowMs, host);
      const c = process.hrtime.bigint();
      if (s >= WARMUP_SECONDS) {
        evalNs += b - a;
        tickNs += c - b;
        evaluated += n;
      }
    }
    const nsPerPoint = Number(evalNs) / evaluated;
    const tickMs = Number(tickNs) / 1e6 / MEASURED_SECONDS;
    process.stderr.write(
      `[rules bench] ${n} tags, ${engine.size} rules, ${evaluated} points: ${nsPerPoint.toFixed(0)} ns/point ` +
        `(${((1e9 / nsPerPoint) * 1e-6).toFixed(2)} M points/s on one core), tick ${tickMs.toFixed(2)} ms/s, ` +
        `${changes} reports; node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}\n`,
    );
    expect(n).toBe(20_000);
    expect(changes).toBeGreaterThan(0);
    expect(nsPerPoint).toBeLessThan(TARGET_NS_PER_POINT);
  });
});
