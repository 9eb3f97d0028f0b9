/** GB 18218-2018 grade of a hazard source, term by term, as `GET /api/sources/:id` returns it. */

/** 一级 … 四级. */
export type MhsGrade = 1 | 2 | 3 | 4;

/** One chemical's contribution (GB 18218-2018 §4.2.1 formula 1 for q/Q, §4.3 for β·q/Q). */
export interface GradeTerm {
  /** As written in the site file (Table 1 id, CAS, alias, or the name of a Table 2 chemical). */
  chemical: string;
  /** Table 1 id when the chemical is named there, else null. */
  id: string | null;
  nameZh: string;
  /** Where Q came from: Table 1 (named chemical) or Table 2 (by hazard class). */
  source: 'table1' | 'table2';
  /** Hazard class that gave β (and Q for Table 2), e.g. W2, J2; null for Table 3 named toxic gases. */
  hazardClass: string | null;
  /** Actual quantity q, tonnes. */
  quantityT: number;
  /** Critical quantity Q, tonnes. */
  criticalQuantityT: number;
  /** Correction coefficient β (Table 3 or 4). */
  beta: number;
  qOverQ: number;
  betaQOverQ: number;
  /** False when a table value used here is marked unverified. */
  verified: boolean;
}

export interface GradeResult {
  terms: GradeTerm[];
  /** S = Σ q/Q; the unit is a major hazard source when S ≥ 1. */
  S: number;
  isMajorHazard: boolean;
  peopleWithin500m: number;
  /** α from Table 5 by people within 500 m. */
  alpha: number;
  /** The Table 5 band, e.g. `≥100人`. */
  alphaBand: string;
  /** R = α · Σ β·q/Q. */
  R: number;
  /** null when not a major hazard source. */
  grade: MhsGrade | null;
  gradeZh: string | null;
  tablesVersion: string;
  warnings: string[];
  /** Chemicals that could not be resolved (the site validator rejects files with any). */
  errors: string[];
}
