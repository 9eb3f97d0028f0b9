import { resolve } from 'node:path';
import {
  parseTopic,
  TelemetryEnvelopeSchema,
  TelemetryPointSchema,
  type SiteModel,
  type TelemetryPoint,
} from '@hazard/server/contracts';
import { loadSiteFile, SiteIndex } from '@hazard/server/site';
import { SimulatorConfigError } from './errors';
import { Plant } from './plant';

const demoSite: SiteModel = loadSiteFile(resolve(__dirname, '../../deploy/demo-site.yaml'));
const demoPark: SiteModel = loadSiteFile(resolve(__dirname, '../../deploy/demo-park.yaml'));
const T0 = Date.UTC(2025, 0, 1, 2);

/** Ticks at 1 Hz for `seconds` and returns every message. */
function runFor(sut: Plant, seconds: number): ReturnType<Plant['tick']> {
  return Array.from({ length: seconds }, (_, i) => sut.tick(T0 + i * 1000)).flat();
}

function valueOf(points: TelemetryPoint[], tag: string): TelemetryPoint['v'] | undefined {
  return points.find((p) => p.tag === tag)?.v;
}

describe(Plant.name, () => {
  it('sends one message per hazard source per tick that passes the contract schemas, point by point', () => {
    const sut = new Plant(demoSite, { seed: 1, excursion: { tag: 'LIA-101' } });

    const messages = runFor(sut, 60);

    expect(messages).toHaveLength(60);
    for (const { message, topic } of messages) {
      expect(parseTopic(topic)).toEqual({ enterpriseId: 'bjpc', sourceId: 'tf01', kind: 'telemetry' });
      expect(TelemetryEnvelopeSchema.safeParse(JSON.parse(JSON.stringify(message))).success).toBe(true);
      for (const point of message.points) expect(TelemetryPointSchema.safeParse(point).success).toBe(true);
    }
  });

  it('puts every tag of the source in each message, with values inside their ranges', () => {
    const index = new SiteIndex(demoSite);
    const expectedTags = [...index.tags.values()].filter((t) => t.sourceId === 'tf01').map((t) => t.def.tag);
    const sut = new Plant(demoSite, { seed: 1, excursion: null });

    for (const { message } of runFor(sut, 30)) {
      expect(message.points.map((p) => p.tag).sort()).toEqual([...expectedTags].sort());
      for (const { tag, v } of message.points) {
        const range = index.tags.get(tag)?.def.range;
        if (typeof v === 'number' && range) {
          expect(v).toBeGreaterThanOrEqual(range[0]);
          expect(v).toBeLessThanOrEqual(range[1]);
        }
      }
    }
  });

  it('numbers messages 0, 1, 2, … per source and stamps them with the tick time', () => {
    const sut = new Plant(demoSite, { seed: 1, excursion: null });

    const messages = runFor(sut, 3).map((m) => m.message);

    expect(messages.map((m) => m.seq)).toEqual([0, 1, 2]);
    expect(messages.map((m) => m.ts)).toEqual([T0, T0 + 1000, T0 + 2000]);
  });

  it('reports nothing above H in normal operation but drives the excursion tag past HH within a minute', () => {
    const quiet = runFor(new Plant(demoSite, { seed: 3, excursion: null }), 120);
    const excursion = runFor(new Plant(demoSite, { seed: 3, excursion: { tag: 'LIA-101' } }), 60);
    const level = (m: (typeof quiet)[number]): number => Number(valueOf(m.message.points, 'LIA-101'));

    expect(Math.max(...quiet.map(level))).toBeLessThan(13.6);
    expect(Math.max(...excursion.map(level))).toBeGreaterThan(14.4);
  });

  it('plays the whole demo park quietly: every tag of every source, no analog value past a limit', () => {
    const index = new SiteIndex(demoPark);
    const sut = new Plant(demoPark, { seed: 7, excursion: null });

    const messages = runFor(sut, 300);

    expect(messages).toHaveLength(300 * index.sources.size);
    const seen = new Set(messages.flatMap((m) => m.message.points.map((p) => p.tag)));
    expect(seen).toEqual(new Set(index.tags.keys()));
    const beyond: string[] = [];
    for (const { message } of messages) {
      for (const { tag, v } of message.points) {
        const limits = index.tags.get(tag)?.def.limits;
        if (typeof v !== 'number' || !limits) continue;
        if ((limits.h !== undefined && v >= limits.h) || (limits.l !== undefined && v <= limits.l))
          beyond.push(`${tag}=${v}`);
      }
    }
    expect(beyond.slice(0, 10)).toEqual([]);
  });

  it('is reproducible from its seed', () => {
    const a = runFor(new Plant(demoSite, { seed: 5, excursion: null }), 20);
    const b = runFor(new Plant(demoSite, { seed: 5, excursion: null }), 20);

    expect(b).toEqual(a);
  });

  it('reports a valve position changed with setDiscrete from the next tick on', () => {
    const sut = new Plant(demoSite, { seed: 1, excursion: null });
    const before = sut.tick(T0)[0]?.message.points ?? [];

    sut.setDiscrete('XV-101', 'closed');
    const after = sut.tick(T0 + 1000)[0]?.message.points ?? [];

    expect(valueOf(before, 'XV-101')).toBe('open');
    expect(valueOf(after, 'XV-101')).toBe('closed');
    expect(() => sut.setDiscrete('XV-101', 'half-open')).toThrow(SimulatorConfigError);
    expect(() => sut.setDiscrete('LIA-101', 'open')).toThrow(/not a discrete state/);
  });

  it('refuses an excursion tag the site does not have', () => {
    expect(() => new Plant(demoSite, { seed: 1, excursion: { tag: 'LIA-999' } })).toThrow(
      /excursion tag LIA-999 is not in the site model/,
    );
  });
});
