// Disbursements (issue 20 part 3): a bank's or a distributor's result file per tranche imported whole or not
// at all, the families of failed transfers told, failed transfers as work, and the latest transfer for the aid
// check. The console and the API call these; they check permission and scope themselves.

export { importDisbursements, type DisbursementImportInput, type DisbursementImportResult, type DisbursementReport, type LineRefusals } from './import.ts';
export { countOpenFailed, listFailed, resolveFailed, LIST_LIMIT, type FailedFilter, type FailedTransferRow, type ResolveResult } from './failed.ts';
export { importablePrograms, listFiles, FILES_SHOWN, type DisbursementFileRow } from './files.ts';
export { latestTransfers, type TransferNews } from './latest.ts';
export { tellUntoldFamilies } from './tell-family.ts';
export { NOTE_MAX, SOURCE_MAX, type DisbursementOptions, type FileRefusal, type ImportProgram, type WorkRefusal } from './shared.ts';
