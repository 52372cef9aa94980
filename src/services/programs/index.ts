// Programs as data (issue 20): the programs an officer manages (read, save), what a rule change would do
// (impact), the recipient list as a versioned decision (lists) and its SK files (sk). The FAQ's facts stay
// in facts.ts, which the chat reads through services/for-flows.ts.

export { getProgram, inputOf, listPrograms, programCodes, type ProgramRow, type ProgramSummary } from './read.ts';
export { changedFields, createProgram, updateProgram, type SaveResult } from './save.ts';
export { ruleImpact, type ProposedRules, type RuleImpact } from './impact.ts';
export { holdsFor, mayUsePrograms } from './scope.ts';
export * from './lists.ts';
export { exportList, listPdf, listSheet, SK_FORMATS, type SkFormat } from './sk.ts';
