import type { ChemicalQuantity, GradeResult, GradeTerm, MhsGrade } from '../../contracts';
import { add, atLeast, div, fromNumber, mul, toNumber, ZERO, type Fraction } from './exact-decimal';
import {
  GB18218_TABLE1,
  GB18218_TABLE2,
  GB18218_TABLE3,
  GB18218_TABLE4,
  GB18218_TABLE5,
  GB18218_TABLE6,
  GB18218_TABLES_VERSION,
  HAZARD_CLASS_CODES,
  NAMED_TABLE2_CHEMICALS,
  type HazardClassCode,
  type NamedChemical,
  type Table2Row,
  type Table3Row,
  type Table4Row,
  type Table5Row,
} from './gb18218.tables';

/** GB 18218-2018 Table 6 grade names. */
export const GRADE_NAMES_ZH: Readonly<Record<MhsGrade, string>> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };

/** Where β came from: Table 3 (named toxic gas), Table 4 (by class), or assumed 1 (no Table 4 class applies). */
export type BetaSource = 'table3' | 'table4' | 'assumed';

/** A chemical resolved to its Q and β, with the reasoning an engineer needs to check it. */
export interface ResolvedChemical {
  /** As written in the site file (`chemical`, else `name`). */
  ref: string;
  /** Named entry id (Table 1 row, or a named Table 2 chemical such as diesel); null for a chemical given by class. */
  id: string | null;
  nameZh: string;
  /** Where Q came from. */
  source: 'table1' | 'table2';
  /** Q, tonnes. */
  criticalQuantityT: number;
  /** The Table 2 class that gave Q; null when Q is from Table 1. */
  criticalQuantityClass: HazardClassCode | null;
  beta: number;
  betaSource: BetaSource;
  /** The Table 4 class that gave β; null for Table 3 gases and assumed β. */
  hazardClass: HazardClassCode | null;
  /** False when a value used is unverified or rests on an uncertain class (see `warnings`). */
  verified: boolean;
  /** One line saying where Q and β came from. */
  basis: string;
  warnings: string[];
}

export type ChemicalResolution = ({ ok: true } & ResolvedChemical) | { ok: false; reason: string };

/** One term of S and R, as `GradeTerm` plus how it was derived. */
export interface UnitGradeTerm extends GradeTerm {
  /** Position of the chemical in the input list. */
  index: number;
  criticalQuantityClass: HazardClassCode | null;
  betaSource: BetaSource;
  basis: string;
}

/** The grade of one unit, as `GradeResult` plus the arithmetic written out. */
export interface UnitGrade extends GradeResult {
  terms: UnitGradeTerm[];
  /** S and R with every number substituted, to check by hand, e.g. `R = 1.5 × (2 × 100/10) = 30`. */
  calculation: { S: string; R: string };
}

const TABLE2 = new Map<string, Table2Row>(GB18218_TABLE2.map((row) => [row.code, row]));
const TABLE3 = new Map<string, Table3Row>(GB18218_TABLE3.map((row) => [row.nameZh, row]));
const TABLE4 = new Map<string, Table4Row>(GB18218_TABLE4.map((row) => [row.code, row]));
const NAMED: readonly NamedChemical[] = [...GB18218_TABLE1, ...NAMED_TABLE2_CHEMICALS];

/** The form names are compared in: NFKC (full-width letters and ₂ become ASCII), trimmed, lower case, `_` = space. */
function nameKey(ref: string): string {
  return ref
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
}

const BY_NAME = new Map<string, NamedChemical[]>();
for (const entry of NAMED) {
  const keys = new Set([entry.id, entry.nameZh, entry.nameEn, ...entry.cas, ...entry.aliases].map(nameKey));
  for (const key of keys) BY_NAME.set(key, [...(BY_NAME.get(key) ?? []), entry]);
}

/** Every named chemical a reference matches (several for a CAS number shared by Table 1 rows, e.g. 6484-52-2). */
export function matchChemicals(ref: string): readonly NamedChemical[] {
  return BY_NAME.get(nameKey(ref)) ?? [];
}

/**
 * The named chemical for an id, CAS number, name or alias (case-, width- and space-insensitive); undefined when
 * unknown or when the reference covers several Table 1 rows (use `matchChemicals` or `resolveChemical` to see which).
 */
export function lookupChemical(ref: string): NamedChemical | undefined {
  const hits = matchChemicals(ref);
  return hits.length === 1 ? hits[0] : undefined;
}

const KNOWN_CLASSES = HAZARD_CLASS_CODES.join(', ');

function unknownClassReason(code: string): string {
  const subclasses = HAZARD_CLASS_CODES.filter((c) => c.startsWith(`${code}.`));
  if (subclasses.length > 0) {
    const options = subclasses.map(
      (c) => `${c} (${TABLE2.get(c)?.descriptionZh}, Q ${TABLE2.get(c)?.criticalQuantityT} t)`,
    );
    return `hazard class "${code}" is split in GB 18218-2018 Table 2: give one of ${options.join('; ')}`;
  }
  return `unknown hazard class "${code}": GB 18218-2018 Table 2 has ${KNOWN_CLASSES}`;
}

function parseClasses(raw: readonly string[]): { ok: true; codes: HazardClassCode[] } | { ok: false; reason: string } {
  const codes: HazardClassCode[] = [];
  for (const text of raw) {
    const code = text.normalize('NFKC').trim().toUpperCase();
    const known = HAZARD_CLASS_CODES.find((c) => c === code);
    if (!known) return { ok: false, reason: unknownClassReason(code) };
    if (!codes.includes(known)) codes.push(known);
  }
  return { ok: true, codes };
}

function table2(code: HazardClassCode): Table2Row {
  const row = TABLE2.get(code);
  if (!row) throw new Error(`GB 18218 Table 2 has no row ${code}`); // the tables spec proves this cannot happen
  return row;
}

function table4(code: HazardClassCode): Table4Row {
  const row = TABLE4.get(code);
  if (!row) throw new Error(`GB 18218 Table 4 has no row ${code}`);
  return row;
}

/** §4.1.2 b): a chemical with several hazards takes the lowest Q among its classes (the first listed on a tie). */
function lowestQClass(codes: readonly HazardClassCode[]): Table2Row | undefined {
  let best: Table2Row | undefined;
  for (const code of codes) {
    const row = table2(code);
    if (!best || row.criticalQuantityT < best.criticalQuantityT) best = row;
  }
  return best;
}

/**
 * β for a chemical with several classes. GB 18218-2018 gives no rule for this; we take the highest β (the class
 * whose consequences weigh most, e.g. J3 over W2 for a toxic flammable gas), so R is never understated. On a tie
 * the class that gave Q wins, so that Q and β name the same class wherever the choice does not matter.
 */
function highestBetaClass(codes: readonly HazardClassCode[], qClass: HazardClassCode | null): Table4Row | undefined {
  let best: Table4Row | undefined;
  for (const code of codes) {
    const row = table4(code);
    if (!best || row.beta > best.beta || (row.beta === best.beta && code === qClass)) best = row;
  }
  return best;
}

const CHOOSE_A_SOURCE = 'give either "chemical" (GB 18218 Table 1) or "name" with "hazardClasses" (Table 2)';

function ambiguousReason(ref: string, hits: readonly NamedChemical[]): string {
  const rows = hits.map((e) => `${e.id} (row ${e.table1Row ?? '-'}, Q ${e.criticalQuantityT} t)`);
  return `"${ref}" matches several GB 18218-2018 Table 1 rows: ${rows.join(', ')}; name the row by id`;
}

/**
 * Q and β for one chemical (§4.1.2: Q from Table 1 when named there, else from Table 2 by class; §4.3: β from
 * Table 3 for the named toxic gases, else from Table 4 by class), or why they cannot be found. Never throws.
 * `hazardClasses` given for a Table 1 chemical set its β class (e.g. W5.1 for a liquid kept above its boiling
 * point) but never its Q, which Table 1 fixes.
 */
export function resolveChemical(c: ChemicalQuantity): ChemicalResolution {
  const ref = (c.chemical ?? c.name ?? '').trim();
  if (ref === '') return { ok: false, reason: CHOOSE_A_SOURCE };
  if (!Number.isFinite(c.quantityT) || c.quantityT < 0) {
    return { ok: false, reason: `"${ref}": quantityT must be a number of tonnes ≥ 0, got ${String(c.quantityT)}` };
  }
  const parsed = parseClasses(c.hazardClasses ?? []);
  if (!parsed.ok) return parsed;
  const given = parsed.codes;

  const byChemical = c.chemical !== undefined;
  const hits = matchChemicals(ref);
  if (hits.length > 1) return { ok: false, reason: ambiguousReason(ref, hits) };
  const entry = hits[0];
  if (entry) {
    const warnings: string[] = [];
    if (!byChemical && entry.table1Row !== null) {
      warnings.push(
        `${ref}: named in GB 18218-2018 Table 1 (row ${entry.table1Row}, ${entry.id}), so Q is Table 1's ` +
          `${entry.criticalQuantityT} t, not Table 2's (§4.1.2 a)`,
      );
    }
    return { ok: true, ...resolveNamed(ref, entry, given, warnings) };
  }
  if (given.length === 0) {
    return {
      ok: false,
      reason: byChemical
        ? `unknown chemical "${ref}": not in GB 18218-2018 Table 1; give hazardClasses (Table 2) for it`
        : `"${ref}" is not in GB 18218-2018 Table 1: give its hazardClasses (Table 2)`,
    };
  }
  return { ok: true, ...resolveByClass(ref, c.name ?? ref, given) };
}

function resolveNamed(
  ref: string,
  entry: NamedChemical,
  given: readonly HazardClassCode[],
  warnings: string[],
): ResolvedChemical {
  const inTable1 = entry.table1Row !== null;
  const classesFromSite = given.length > 0;
  const classes = classesFromSite ? given : entry.hazardClasses;

  const qRow = inTable1 ? undefined : lowestQClass(classes);
  const criticalQuantityT = qRow?.criticalQuantityT ?? entry.criticalQuantityT;
  const qFromEntry = inTable1 || !classesFromSite;
  const qBasis = inTable1
    ? `Q ${criticalQuantityT} t: Table 1 row ${entry.table1Row} (${entry.nameZh})`
    : `Q ${criticalQuantityT} t: Table 2 ${qRow?.code ?? '?'} (${entry.nameZh} is not in Table 1)`;
  if (!entry.verified && qFromEntry) {
    warnings.push(`${ref}: Q ${criticalQuantityT} t is unverified — ${entry.note}`);
  }

  const gas = entry.toxicGasZh === undefined ? undefined : TABLE3.get(entry.toxicGasZh);
  if (gas) {
    if (classesFromSite) warnings.push(`${ref}: hazardClasses ignored for β, which Table 3 gives for ${gas.nameZh}`);
    if (!entry.classesCertain) warnings.push(`${ref}: β from Table 3 (${gas.nameZh}) is a judgement — ${entry.note}`);
    return {
      ref,
      id: entry.id,
      nameZh: entry.nameZh,
      source: inTable1 ? 'table1' : 'table2',
      criticalQuantityT,
      criticalQuantityClass: qRow?.code ?? null,
      beta: gas.beta,
      betaSource: 'table3',
      hazardClass: null,
      verified: (entry.verified || !qFromEntry) && entry.classesCertain && gas.verified,
      basis: `${qBasis}; β ${gas.beta}: Table 3 (${gas.nameZh})`,
      warnings,
    };
  }

  const betaRow = highestBetaClass(classes, qRow?.code ?? null);
  const classesCertain = classesFromSite || entry.classesCertain;
  const classOrigin = classesFromSite ? 'as given in the site file' : `default for ${entry.nameZh}`;
  if (!classesCertain) {
    warnings.push(
      betaRow
        ? `${ref}: β class ${betaRow.code} is a judgement — ${entry.note} Give hazardClasses to set it.`
        : `${ref}: β 1 assumed — ${entry.note} Give hazardClasses to set it.`,
    );
  }
  const beta = betaRow?.beta ?? 1;
  return {
    ref,
    id: entry.id,
    nameZh: entry.nameZh,
    source: inTable1 ? 'table1' : 'table2',
    criticalQuantityT,
    criticalQuantityClass: qRow?.code ?? null,
    beta,
    betaSource: betaRow ? 'table4' : 'assumed',
    hazardClass: betaRow?.code ?? null,
    verified:
      (entry.verified || !qFromEntry) && classesCertain && (qRow?.verified ?? true) && (betaRow?.verified ?? false),
    basis: betaRow
      ? `${qBasis}; β ${beta}: Table 4 ${betaRow.code} (${classOrigin})`
      : `${qBasis}; β 1: assumed, no Table 4 class applies`,
    warnings,
  };
}

function resolveByClass(ref: string, nameZh: string, classes: readonly HazardClassCode[]): ResolvedChemical {
  const qRow = lowestQClass(classes);
  const betaRow = highestBetaClass(classes, qRow?.code ?? null);
  if (!qRow || !betaRow) throw new Error('resolveByClass needs at least one class');
  const qBasis =
    classes.length > 1
      ? `Q ${qRow.criticalQuantityT} t: Table 2 ${qRow.code}, the lowest of ${classes.join(', ')} (§4.1.2 b)`
      : `Q ${qRow.criticalQuantityT} t: Table 2 ${qRow.code}`;
  const betaBasis =
    classes.length > 1 ? `Table 4 ${betaRow.code}, the highest of ${classes.join(', ')}` : `Table 4 ${betaRow.code}`;
  return {
    ref,
    id: null,
    nameZh,
    source: 'table2',
    criticalQuantityT: qRow.criticalQuantityT,
    criticalQuantityClass: qRow.code,
    beta: betaRow.beta,
    betaSource: 'table4',
    hazardClass: betaRow.code,
    verified: qRow.verified && betaRow.verified,
    basis: `${qBasis}; β ${betaRow.beta}: ${betaBasis}`,
    warnings: [],
  };
}

/** Table 5 row for a head count; undefined when the count is not a whole number ≥ 0. */
export function alphaRowFor(peopleWithin500m: number): Table5Row | undefined {
  if (!Number.isInteger(peopleWithin500m) || peopleWithin500m < 0) return undefined;
  return GB18218_TABLE5.find((row) => peopleWithin500m >= row.minPeople);
}

/** Table 6: the first grade whose lower bound R reaches, compared exactly. */
function gradeFor(R: Fraction): MhsGrade {
  for (const row of GB18218_TABLE6) if (atLeast(R, fromNumber(row.minR))) return row.grade;
  return 4;
}

/**
 * GB 18218-2018 identification and grading of one unit. S = Σ q/Q (§4.2.1, formula 1); the unit is a major
 * hazard source when S ≥ 1; R = α · Σ β·q/Q and the grade by Table 6 (§4.3). Sums and threshold comparisons are
 * exact decimal arithmetic, so a boundary the engineer reaches by hand is reached here; the numbers returned are the
 * nearest doubles, unrounded. Chemicals that cannot be resolved go to `errors` and the rest are still graded.
 */
export function gradeUnit(input: { chemicals: readonly ChemicalQuantity[]; peopleWithin500m: number }): UnitGrade {
  const terms: UnitGradeTerm[] = [];
  const errors: string[] = [];
  const warnings = new Set<string>();
  let S = ZERO;
  let sumBetaQOverQ = ZERO;
  const sParts: string[] = [];
  const rParts: string[] = [];

  input.chemicals.forEach((c, index) => {
    const r = resolveChemical(c);
    if (!r.ok) {
      errors.push(`chemicals[${index}]: ${r.reason}`);
      return;
    }
    const qOverQ = div(fromNumber(c.quantityT), fromNumber(r.criticalQuantityT));
    const betaQOverQ = mul(fromNumber(r.beta), qOverQ);
    S = add(S, qOverQ);
    sumBetaQOverQ = add(sumBetaQOverQ, betaQOverQ);
    sParts.push(`${c.quantityT}/${r.criticalQuantityT}`);
    rParts.push(`${r.beta} × ${c.quantityT}/${r.criticalQuantityT}`);
    r.warnings.forEach((w) => warnings.add(w));
    terms.push({
      index,
      chemical: r.ref,
      id: r.id,
      nameZh: r.nameZh,
      source: r.source,
      hazardClass: r.hazardClass,
      criticalQuantityClass: r.criticalQuantityClass,
      betaSource: r.betaSource,
      quantityT: c.quantityT,
      criticalQuantityT: r.criticalQuantityT,
      beta: r.beta,
      qOverQ: toNumber(qOverQ),
      betaQOverQ: toNumber(betaQOverQ),
      verified: r.verified,
      basis: r.basis,
    });
  });

  const people = input.peopleWithin500m;
  let alphaRow = alphaRowFor(people);
  if (!alphaRow) {
    errors.push(`peopleWithin500m must be a whole number ≥ 0, got ${String(people)}`);
    alphaRow = GB18218_TABLE5[0]!;
    warnings.add(`α taken as ${alphaRow.alpha} (the highest, ${alphaRow.band}) because the head count is invalid`);
  }
  const R = mul(fromNumber(alphaRow.alpha), sumBetaQOverQ);
  const isMajorHazard = atLeast(S, fromNumber(1));
  const grade = isMajorHazard ? gradeFor(R) : null;
  const sValue = toNumber(S);
  const rValue = toNumber(R);

  return {
    terms,
    S: sValue,
    isMajorHazard,
    peopleWithin500m: people,
    alpha: alphaRow.alpha,
    alphaBand: alphaRow.band,
    R: rValue,
    grade,
    gradeZh: grade === null ? null : GRADE_NAMES_ZH[grade],
    tablesVersion: GB18218_TABLES_VERSION,
    warnings: [...warnings],
    errors,
    calculation: {
      S: `S = ${sParts.length > 0 ? sParts.join(' + ') : '0'} = ${sValue}`,
      R: `R = ${alphaRow.alpha} × (${rParts.length > 0 ? rParts.join(' + ') : '0'}) = ${rValue}`,
    },
  };
}
