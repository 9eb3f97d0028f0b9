import { readFileSync } from 'node:fs';
import type { SiteModel } from '@hazard/server/contracts';
import { SiteIndex } from '@hazard/server/site';
import { parseDocument } from 'yaml';
import { ScenarioSchema, type Scenario } from './scenario.schema';

/** One thing wrong with a scenario file: where (a path like `timeline[3].tank`) and why. */
export interface ScenarioProblem {
  path: string;
  message: string;
}

/** A scenario file that cannot be played; the message lists every problem as `file: path: reason`. */
export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError';

  constructor(
    readonly file: string,
    readonly problems: ScenarioProblem[],
  ) {
    super(
      `invalid scenario file ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${file}: ${p.path}: ${p.message}`).join('\n'),
    );
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(root)';
}

/**
 * Parses and validates scenario YAML; with `site`, also that every tank, valve, SIS loop, tag and source it names
 * exists there with the right type.
 */
export function parseScenarioYaml(text: string, file: string, site?: SiteModel): Scenario {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioFileError(
      file,
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(yaml)',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    );
  }
  const parsed = ScenarioSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new ScenarioFileError(
      file,
      parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  }
  if (site) {
    const problems = checkAgainstSite(parsed.data, new SiteIndex(site));
    if (problems.length > 0) throw new ScenarioFileError(file, problems);
  }
  return parsed.data;
}

/** Reads a scenario file; see `parseScenarioYaml`. */
export function loadScenarioFile(file: string, site?: SiteModel): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioFileError(file, [{ path: '(file)', message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseScenarioYaml(text, file, site);
}

/** References from the scenario into the site model. */
export function checkAgainstSite(scenario: Scenario, site: SiteIndex): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const equipment = new Map<string, { type: string; sourceId: string }>();
  for (const { source } of site.sources.values()) {
    for (const eq of source.equipment) equipment.set(eq.id, { type: eq.type, sourceId: source.id });
  }
  const active = new Set(scenario.sources ?? site.sources.keys());
  scenario.sources?.forEach((id, i) => {
    if (!site.sources.has(id))
      problems.push({ path: `sources[${i}]`, message: `no hazard source "${id}" in the site` });
  });
  const needEquipment = (path: string, id: string, type: string): void => {
    const eq = equipment.get(id);
    if (!eq) problems.push({ path, message: `no equipment "${id}" in the site` });
    else if (eq.type !== type) problems.push({ path, message: `"${id}" is a ${eq.type}, not a ${type}` });
    else if (!active.has(eq.sourceId)) {
      problems.push({ path, message: `"${id}" belongs to ${eq.sourceId}, which is not in the scenario's sources` });
    }
  };
  const needTag = (path: string, tag: string, analog: boolean): void => {
    const info = site.tags.get(tag);
    if (!info) problems.push({ path, message: `no tag "${tag}" in the site` });
    else if (analog && (info.def.kind === 'valve_position' || info.def.kind === 'sis_state')) {
      problems.push({ path, message: `"${tag}" is a discrete ${info.def.kind} tag; this action needs an analog tag` });
    } else if (!active.has(info.sourceId)) {
      problems.push({ path, message: `"${tag}" belongs to ${info.sourceId}, which is not in the scenario's sources` });
    }
  };
  scenario.timeline.forEach((a, i) => {
    const p = `timeline[${i}]`;
    switch (a.do) {
      case 'flow':
        needEquipment(`${p}.tank`, a.tank, 'tank');
        if (a.via) needEquipment(`${p}.via`, a.via, 'esd_valve');
        break;
      case 'set-level':
        needEquipment(`${p}.tank`, a.tank, 'tank');
        break;
      case 'bypass':
      case 'unbypass':
      case 'reset':
        needEquipment(`${p}.sis`, a.sis, 'sis_loop');
        break;
      case 'stick':
      case 'open':
        needEquipment(`${p}.valve`, a.valve, 'esd_valve');
        break;
      case 'freeze':
      case 'drift':
      case 'ramp':
      case 'chatter':
      case 'release':
        needTag(`${p}.tag`, a.tag, true);
        break;
      case 'gateway-down':
      case 'gateway-up':
        if (!active.has(a.source))
          problems.push({ path: `${p}.source`, message: `"${a.source}" does not publish in this scenario` });
        break;
      case 'leak':
        break;
    }
  });
  scenario.expect.forEach((e, i) => {
    const tag = e.key.slice(0, e.key.lastIndexOf(':'));
    const isComposite = [...site.sources.values()].some(({ source }) => source.composites?.some((c) => c.id === tag));
    if (!site.tags.has(tag) && !isComposite) {
      problems.push({ path: `expect[${i}].key`, message: `"${tag}" is neither a tag nor a composite of the site` });
    }
  });
  return problems;
}
