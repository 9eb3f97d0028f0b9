import type { z } from 'zod';
import { SiteModelSchema, type SiteModel } from '../contracts/site';
import { resolveChemical } from './gb18218';
import { defaultGasLimits, findToxicOel } from './gas-defaults';

/** One problem in a site file: where (a JSON path into the document) and what. */
export interface SiteProblem {
  path: string;
  message: string;
}

export type SiteValidation = { ok: true; site: SiteModel } | { ok: false; problems: SiteProblem[] };

/** `enterprises[1].sources[0].equipment[3].tags[0].limits.hh` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function zodProblems(error: z.ZodError): SiteProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

// The cross-checks walk the raw document defensively, so that they run even when the schema check failed and
// the file's author gets every problem in one run (issue 3), not one stage at a time.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

// GB 32100-2015 §4.3 / Annex: 统一社会信用代码 check character, weights 3^i mod 31 over a 31-character alphabet
// (no I, O, Z, S, V). A mistyped code in the site file would follow the enterprise into every report to the
// national monitoring system, so it is caught here.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character a 统一社会信用代码 must end with, or undefined when its first 17 are not in the alphabet. */
export function usccCheckCharacter(code: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(code[i] ?? '');
    if (value < 0) return undefined;
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

const LIMIT_ORDER = ['ll', 'l', 'h', 'hh'] as const;
const DISCRETE_KINDS = new Set(['valve_position', 'sis_state']);

/** Whether a tank's medium names one of its source's chemicals, literally or as the same GB 18218 Table 1 entry. */
function sameChemicalIn(medium: string, refs: (string | undefined)[]): boolean {
  const id = (ref: string) => {
    const r = resolveChemical({ chemical: ref, quantityT: 0 });
    return r.ok ? r.id : undefined;
  };
  const mediumId = id(medium);
  return refs.some((ref) => ref !== undefined && (ref === medium || (mediumId !== undefined && id(ref) === mediumId)));
}

class Checker {
  readonly problems: SiteProblem[] = [];
  private readonly tagSeen = new Map<string, string>();
  private readonly enterpriseSeen = new Map<string, string>();
  private readonly sourceSeen = new Map<string, string>();
  private readonly edgeNodeSeen = new Map<string, string>();

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  unique(seen: Map<string, string>, id: string | undefined, path: string, what: string): void {
    if (id === undefined) return;
    const prev = seen.get(id);
    if (prev) this.add(path, `duplicate ${what} "${id}" (first at ${prev})`);
    else seen.set(id, path);
  }

  site(doc: unknown): void {
    if (!isObj(doc)) return;
    list(doc.enterprises).forEach((e, ei) => this.enterprise(e, `enterprises[${ei}]`));
  }

  private enterprise(e: unknown, path: string): void {
    if (!isObj(e)) return;
    this.unique(this.enterpriseSeen, str(e.id), `${path}.id`, 'enterprise id');
    const code = str(e.code);
    if (code !== undefined && code.length === 18) {
      const expected = usccCheckCharacter(code);
      if (expected !== undefined && code[17] !== expected) {
        this.add(
          `${path}.code`,
          `统一社会信用代码 check character is "${code[17]}", GB 32100-2015 gives "${expected}"`,
        );
      }
    }
    list(e.sources).forEach((s, si) => this.source(s, `${path}.sources[${si}]`));
  }

  private source(s: unknown, path: string): void {
    if (!isObj(s)) return;
    this.unique(this.sourceSeen, str(s.id), `${path}.id`, 'hazard source id');
    if (isObj(s.sparkplug) && str(s.sparkplug.groupId) && str(s.sparkplug.edgeNodeId)) {
      const node = `${str(s.sparkplug.groupId)}/${str(s.sparkplug.edgeNodeId)}`;
      this.unique(this.edgeNodeSeen, node, `${path}.sparkplug`, 'Sparkplug edge node');
    }
    list(s.equipment).forEach((q, qi) => {
      if (!isObj(q) || str(q.sparkplugDeviceId) === undefined) return;
      const devPath = `${path}.equipment[${qi}].sparkplugDeviceId`;
      if (!isObj(s.sparkplug)) this.add(devPath, "a Sparkplug device needs its hazard source's `sparkplug` edge node");
      // Several equipment may share one device (one I/O station): a device id may repeat.
    });
    list(s.chemicals).forEach((c, ci) => {
      if (!isObj(c) || num(c.quantityT) === undefined) return;
      if (c.chemical === undefined && c.hazardClasses === undefined) return; // the schema reports it
      const resolved = resolveChemical({
        chemical: str(c.chemical),
        name: str(c.name),
        hazardClasses: list(c.hazardClasses).filter((h): h is string => typeof h === 'string'),
        quantityT: num(c.quantityT)!,
      });
      if (!resolved.ok) this.add(`${path}.chemicals[${ci}]`, resolved.reason);
    });
    const chemicalRefs = list(s.chemicals).flatMap((c) => (isObj(c) ? [str(c.chemical), str(c.name)] : []));
    const equipment = list(s.equipment);
    const equipmentSeen = new Map<string, string>();
    const sourceTags = new Set<string>();
    const tagDocs = new Map<string, { tag: Obj; equipment: Obj }>();
    const valves = new Set<string>();
    const metrics = new Map<string, string>();
    equipment.forEach((q, qi) => {
      if (!isObj(q)) return;
      const qPath = `${path}.equipment[${qi}]`;
      this.unique(equipmentSeen, str(q.id), `${qPath}.id`, 'equipment id in this hazard source');
      if (q.type === 'esd_valve' && str(q.id)) valves.add(str(q.id)!);
      list(q.tags).forEach((t, ti) => {
        if (!isObj(t)) return;
        const tPath = `${qPath}.tags[${ti}]`;
        const tag = str(t.tag);
        if (tag) {
          sourceTags.add(tag);
          tagDocs.set(tag, { tag: t, equipment: q });
        }
        this.unique(this.tagSeen, tag, `${tPath}.tag`, 'tag');
        const metric = str(t.sparkplugMetric);
        if (metric) this.unique(metrics, metric, `${tPath}.sparkplugMetric`, 'Sparkplug metric in this hazard source');
        if (metric && !isObj(s.sparkplug)) {
          this.add(`${tPath}.sparkplugMetric`, "a Sparkplug metric needs its hazard source's `sparkplug` edge node");
        }
        this.tag(t, tPath, q);
      });
      if (q.type === 'gas_detector') this.detector(q, qPath);
      if (q.type === 'tank' && str(q.medium) && !sameChemicalIn(str(q.medium)!, chemicalRefs)) {
        this.add(`${qPath}.medium`, `medium "${str(q.medium)}" is not among this hazard source's chemicals`);
      }
    });
    equipment.forEach((q, qi) => {
      if (!isObj(q) || q.type !== 'sis_loop') return;
      const qPath = `${path}.equipment[${qi}]`;
      list(q.tripTags).forEach((t, i) => {
        if (typeof t === 'string' && !sourceTags.has(t)) {
          this.add(`${qPath}.tripTags[${i}]`, `unknown tag "${t}": an SIS loop trips on tags of its own hazard source`);
        }
      });
      list(q.suppresses).forEach((t, i) => {
        if (typeof t === 'string' && !sourceTags.has(t)) {
          this.add(
            `${qPath}.suppresses[${i}]`,
            `unknown tag "${t}": a trip suppresses consequential alarms of its own hazard source only`,
          );
        }
      });
      if (list(q.suppresses).length > 0 && !list(q.tags).some((t) => isObj(t) && t.kind === 'sis_state')) {
        this.add(
          `${qPath}.suppresses`,
          "suppression needs the loop's state tag (kind sis_state) to know when it trips",
        );
      }
      list(q.closes).forEach((v, i) => {
        if (typeof v === 'string' && !valves.has(v)) {
          this.add(
            `${qPath}.closes[${i}]`,
            `unknown ESD valve "${v}": no esd_valve with that id in this hazard source`,
          );
        }
      });
    });
    this.composites(s, path, tagDocs, valves);
  }

  /** Composites name tags and valves of their own source; a vote needs k ≤ n and members with the voted limit. */
  private composites(s: Obj, path: string, tagDocs: Map<string, { tag: Obj; equipment: Obj }>, valves: Set<string>) {
    list(s.composites).forEach((c, ci) => {
      if (!isObj(c)) return;
      const cPath = `${path}.composites[${ci}]`;
      this.unique(this.tagSeen, str(c.id), `${cPath}.id`, 'tag or composite id');
      if (c.type === 'vote') this.vote(c, cPath, tagDocs);
      if (c.type === 'gas_valve_open') this.gasValveOpen(c, cPath, tagDocs, valves);
    });
  }

  private vote(c: Obj, path: string, tagDocs: Map<string, { tag: Obj; equipment: Obj }>): void {
    const members = list(c.members);
    const level = c.level === 'h' ? 'h' : 'hh';
    const seen = new Map<string, string>();
    members.forEach((m, i) => {
      if (typeof m !== 'string') return;
      const mPath = `${path}.members[${i}]`;
      this.unique(seen, m, mPath, 'member');
      const doc = tagDocs.get(m);
      if (!doc) {
        this.add(mPath, `unknown tag "${m}": a vote's members are tags of its own hazard source`);
        return;
      }
      const limits = doc.tag.limits;
      const takesGasDefaults = !isObj(limits) && doc.tag.kind === 'gas' && doc.equipment.type === 'gas_detector';
      if (!takesGasDefaults && !(isObj(limits) && num(limits[level]) !== undefined)) {
        this.add(mPath, `tag "${m}" has no "${level}" limit to vote on`);
      }
    });
    const k = num(c.k);
    if (k !== undefined && members.length > 0 && k > members.length) {
      this.add(`${path}.k`, `k = ${k} exceeds the ${members.length} members (k-out-of-n needs k ≤ n)`);
    }
  }

  private gasValveOpen(
    c: Obj,
    path: string,
    tagDocs: Map<string, { tag: Obj; equipment: Obj }>,
    valves: Set<string>,
  ): void {
    if (c.detectors === undefined) {
      const gasTags = [...tagDocs.values()].filter((d) => d.tag.kind === 'gas' && d.equipment.type === 'gas_detector');
      if (gasTags.length === 0) this.add(path, 'no gas detector tags in this hazard source: name `detectors`');
    }
    list(c.detectors).forEach((d, i) => {
      if (typeof d !== 'string') return;
      const doc = tagDocs.get(d);
      if (!doc) this.add(`${path}.detectors[${i}]`, `unknown tag "${d}": detectors are tags of its own hazard source`);
      else if (doc.tag.kind !== 'gas')
        this.add(`${path}.detectors[${i}]`, `tag "${d}" is a ${str(doc.tag.kind)} tag, not gas`);
    });
    if (c.valves === undefined && valves.size === 0) {
      this.add(path, 'no esd_valve in this hazard source: a gas-and-valve composite needs one');
    }
    list(c.valves).forEach((v, i) => {
      if (typeof v === 'string' && !valves.has(v)) {
        this.add(`${path}.valves[${i}]`, `unknown ESD valve "${v}": no esd_valve with that id in this hazard source`);
      }
    });
  }

  private detector(q: Obj, path: string): void {
    const detection = q.detection;
    const gas = str(q.gas);
    if (detection === 'toxic' && !gas)
      this.add(`${path}.gas`, 'a toxic gas detector must name its gas (e.g. ammonia, chlorine, H2S)');
    if (detection === 'toxic' && gas && !findToxicOel(gas) && !resolveChemical({ chemical: gas, quantityT: 0 }).ok) {
      this.add(`${path}.gas`, `unknown gas "${gas}"`);
    }
  }

  private tag(t: Obj, path: string, equipment: Obj): void {
    const range = list(t.range);
    const rMin = num(range[0]);
    const rMax = num(range[1]);
    if (rMin !== undefined && rMax !== undefined && rMin >= rMax) {
      this.add(`${path}.range`, `range min ${rMin} must be below max ${rMax}`);
    }
    const kind = str(t.kind);
    if (kind && DISCRETE_KINDS.has(kind)) {
      for (const key of ['rateOfChange', 'flatline'] as const) {
        if (t[key] !== undefined) this.add(`${path}.${key}`, `a ${kind} tag is discrete and cannot have ${key}`);
      }
    }
    if (isObj(t.rateOfChange) && t.rateOfChange.risePerMin === undefined && t.rateOfChange.fallPerMin === undefined) {
      this.add(`${path}.rateOfChange`, 'give risePerMin, fallPerMin or both');
    }
    if (!isObj(t.limits)) {
      // A detector's gas tag without limits takes the GB/T 50493 defaults; say so when there are none to take.
      if (
        kind === 'gas' &&
        equipment.type === 'gas_detector' &&
        (equipment.detection === 'combustible' || equipment.detection === 'toxic')
      ) {
        const d = defaultGasLimits(equipment.detection, str(equipment.gas), str(t.unit) ?? '');
        if (!d.ok && (equipment.detection === 'combustible' || str(equipment.gas)))
          this.add(`${path}.limits`, d.reason);
      }
      return;
    }
    const limits = t.limits;
    if (kind && DISCRETE_KINDS.has(kind)) {
      this.add(`${path}.limits`, `a ${kind} tag is discrete and cannot have analog limits`);
      return;
    }
    let prev: { key: string; value: number } | undefined;
    for (const key of LIMIT_ORDER) {
      const value = num(limits[key]);
      if (value === undefined) continue;
      if (prev && !(prev.value < value)) {
        this.add(
          `${path}.limits.${key}`,
          `limits out of order: ${key}=${value} must be above ${prev.key}=${prev.value} (LL < L < H < HH)`,
        );
      }
      if (rMin !== undefined && rMax !== undefined && (value < rMin || value > rMax)) {
        this.add(`${path}.limits.${key}`, `limit ${key}=${value} is outside the range [${rMin}, ${rMax}]`);
      }
      prev = { key, value };
    }
  }
}

/** Validates a parsed site document; returns every problem at once (schema and cross-checks together). */
export function validateSite(doc: unknown): SiteValidation {
  const parsed = SiteModelSchema.safeParse(doc);
  const checker = new Checker();
  checker.site(doc);
  const problems = [...(parsed.success ? [] : zodProblems(parsed.error)), ...checker.problems];
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, site: parsed.data };
}
