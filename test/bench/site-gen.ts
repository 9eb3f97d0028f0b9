import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { validateSite } from '../../server/src/site';

/** Shape of a generated park: `sources` hazard sources, each with `tanks` tanks (level, temperature, pressure). */
export interface GeneratedSiteShape {
  sources: number;
  tanksPerSource: number;
  /** Combustible gas detectors per source (one tag each). */
  detectorsPerSource: number;
}

/** Limits of the generated tags, the same as demo-site.yaml's tf01 (absolute, in the tag's unit). */
export const GENERATED_LIMITS = {
  level: { hh: 14.4, h: 13.6, l: 2.4, ll: 1.6 },
  temperature: { hh: 45, h: 40, l: -10, ll: -15 },
  pressure: { hh: 2, h: 1.8, l: -0.3, ll: -0.5 },
  gas: { hh: 50, h: 25 },
} as const;

/** Level tag of tank `t` of source `s`: `LIA-{s}-{t}` (tags are unique in a park). */
export const levelTag = (s: number, t: number): string => `LIA-${s}-${t}`;

/** Enterprise id of a generated park (one enterprise holds every source). */
export const GENERATED_ENTERPRISE = 'gen';

/**
 * A park of many plain tags for the scale cases (fan-out, soak): no on-delay, so a value above HH raises at once,
 * and tags × sources chosen by the case. Validated here, so a schema change fails with the site's own message.
 */
export function generatedSite(shape: GeneratedSiteShape): unknown {
  const people = { name: '甲' };
  const doc = {
    schemaVersion: 1,
    park: { id: 'bench', name: '基准园区' },
    enterprises: [
      {
        id: GENERATED_ENTERPRISE,
        name: '基准企业',
        code: '91320600MA1XXXXX9K',
        address: '基准路 1 号',
        sources: Array.from({ length: shape.sources }, (_, s) => ({
          id: `s${s}`,
          name: `${s}#单元`,
          kind: 'storage',
          peopleWithin500m: 10,
          chemicals: [{ chemical: 'methanol', quantityT: 8000 }],
          responsible: { principal: people, technical: people, operations: people },
          equipment: [
            ...Array.from({ length: shape.tanksPerSource }, (_, t) => ({
              id: `T-${s}-${t}`,
              name: `${t}#罐`,
              type: 'tank',
              tankType: 'atmospheric',
              capacityM3: 5000,
              medium: 'methanol',
              tags: [
                {
                  tag: levelTag(s, t),
                  name: '液位',
                  kind: 'level',
                  unit: 'm',
                  range: [0, 16],
                  limits: { ...GENERATED_LIMITS.level, deadband: 0.1 },
                },
                {
                  tag: `TIA-${s}-${t}`,
                  name: '温度',
                  kind: 'temperature',
                  unit: '°C',
                  range: [-20, 80],
                  limits: GENERATED_LIMITS.temperature,
                },
                {
                  tag: `PIA-${s}-${t}`,
                  name: '压力',
                  kind: 'pressure',
                  unit: 'kPa',
                  range: [-2, 6],
                  limits: GENERATED_LIMITS.pressure,
                },
              ],
            })),
            ...Array.from({ length: shape.detectorsPerSource }, (_, d) => ({
              id: `GD-${s}-${d}`,
              name: `${d}#探测器`,
              type: 'gas_detector',
              detection: 'combustible',
              tags: [
                {
                  tag: `GIA-${s}-${d}`,
                  name: '可燃气体',
                  kind: 'gas',
                  unit: '%LEL',
                  range: [0, 100],
                  limits: GENERATED_LIMITS.gas,
                },
              ],
            })),
          ],
        })),
      },
    ],
  };
  const r = validateSite(doc);
  if (!r.ok) throw new Error(`generated site invalid: ${JSON.stringify(r.problems.slice(0, 3))}`);
  return doc;
}

/** Writes the generated park as a site file (JSON is YAML, which the site loader reads) and returns its path. */
export function writeGeneratedSite(file: string, shape: GeneratedSiteShape): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(generatedSite(shape), null, 1)}\n`);
  return file;
}
