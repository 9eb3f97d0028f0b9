export * from './gb18218.tables';
export {
  GRADE_NAMES_ZH,
  alphaRowFor,
  gradeUnit,
  lookupChemical,
  matchChemicals,
  resolveChemical,
  type BetaSource,
  type ChemicalResolution,
  type ResolvedChemical,
  type UnitGrade,
  type UnitGradeTerm,
} from './gb18218.grade';
