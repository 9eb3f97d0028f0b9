import type { z } from 'zod';
import { SiteModelSchema, type SiteModel } from '../contracts/site';

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

const LIMIT_ORDER = ['ll', 'l', 'h', 'hh'] as const;

/** Checks that need the whole document: unique ids and tags, LL < L < H < HH, limits inside the range. */
function crossChecks(site: SiteModel): SiteProblem[] {
  const problems: SiteProblem[] = [];
  const tagSeen = new Map<string, string>();
  const enterpriseSeen = new Map<string, string>();
  const sourceSeen = new Map<string, string>();
  site.enterprises.forEach((enterprise, ei) => {
    const ePath = `enterprises[${ei}]`;
    const prevE = enterpriseSeen.get(enterprise.id);
    if (prevE)
      problems.push({ path: `${ePath}.id`, message: `duplicate enterprise id "${enterprise.id}" (first at ${prevE})` });
    else enterpriseSeen.set(enterprise.id, `${ePath}.id`);
    enterprise.sources.forEach((source, si) => {
      const sPath = `${ePath}.sources[${si}]`;
      const prevS = sourceSeen.get(source.id);
      if (prevS)
        problems.push({
          path: `${sPath}.id`,
          message: `duplicate hazard source id "${source.id}" (first at ${prevS})`,
        });
      else sourceSeen.set(source.id, `${sPath}.id`);
      source.equipment.forEach((equipment, qi) => {
        equipment.tags.forEach((tag, ti) => {
          const tPath = `${sPath}.equipment[${qi}].tags[${ti}]`;
          const prevT = tagSeen.get(tag.tag);
          if (prevT) problems.push({ path: `${tPath}.tag`, message: `duplicate tag "${tag.tag}" (first at ${prevT})` });
          else tagSeen.set(tag.tag, `${tPath}.tag`);
          if (tag.range && tag.range[0] >= tag.range[1]) {
            problems.push({
              path: `${tPath}.range`,
              message: `range min ${tag.range[0]} must be below max ${tag.range[1]}`,
            });
          }
          const limits = tag.limits;
          if (!limits) return;
          const isAnalog = tag.kind !== 'valve_position' && tag.kind !== 'sis_state';
          if (!isAnalog) {
            problems.push({
              path: `${tPath}.limits`,
              message: `a ${tag.kind} tag is discrete and cannot have analog limits`,
            });
            return;
          }
          let prev: { key: string; value: number } | undefined;
          for (const key of LIMIT_ORDER) {
            const value = limits[key];
            if (value === undefined) continue;
            if (prev && !(prev.value < value)) {
              problems.push({
                path: `${tPath}.limits.${key}`,
                message: `limits out of order: ${key}=${value} must be above ${prev.key}=${prev.value} (LL < L < H < HH)`,
              });
            }
            if (tag.range && (value < tag.range[0] || value > tag.range[1])) {
              problems.push({
                path: `${tPath}.limits.${key}`,
                message: `limit ${key}=${value} is outside the range [${tag.range[0]}, ${tag.range[1]}]`,
              });
            }
            prev = { key, value };
          }
        });
      });
    });
  });
  return problems;
}

/** Validates a parsed site document; returns every problem at once. */
export function validateSite(doc: unknown): SiteValidation {
  const parsed = SiteModelSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const problems = crossChecks(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, site: parsed.data };
}
