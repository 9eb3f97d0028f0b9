import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { SiteModel } from '../contracts/site';
import { resolveSite } from './site.resolve';
import { validateSite, type SiteProblem } from './site.validate';

/** Thrown when a site file cannot be used; the message lists every problem with file and path. */
export class SiteFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: SiteProblem[],
  ) {
    super(
      `invalid site file ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${file}: ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'SiteFileError';
  }
}

/** Parses and validates site YAML text; `file` names it in errors. */
export function parseSiteYaml(text: string, file: string): SiteModel {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SiteFileError(
      file,
      doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(yaml)',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    );
  }
  const result = validateSite(doc.toJS());
  if (!result.ok) throw new SiteFileError(file, result.problems);
  return resolveSite(result.site);
}

/** Reads, parses and validates a site file. */
export function loadSiteFile(file: string): SiteModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SiteFileError(file, [{ path: '(file)', message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseSiteYaml(text, file);
}
