// What the disbursement use cases share: the options every write needs, the refusals a form or the API can
// explain, and who may import a program's file.

import type { Locale } from '../../domain/vocabulary.ts';
import type { Translator } from '../../i18n.ts';
import { can, Forbidden } from '../access.ts';
import type { Actor } from '../actor.ts';

export interface DisbursementOptions {
  now: Date;
  /** The office's zone: a transfer dated after the office's today is refused. */
  timeZone: string;
  i18n: Translator;
  defaultLocale: Locale;
}

/** A note on a settled failed transfer: what was done, in a paragraph. */
export const NOTE_MAX = 1000;
/** The bank's or distributor's name as the form takes it. */
export const SOURCE_MAX = 60;

/** A whole file refused before any line is looked at, or with its lines (lines_refused). Nothing was written. */
export type FileRefusal =
  | 'program_unknown'
  | 'program_out_of_scope'
  | 'period_invalid'
  | 'source_invalid'
  | 'file_empty'
  | 'header_invalid'
  | 'already_imported'
  | 'lines_refused';

export type WorkRefusal = 'not_found' | 'already_resolved' | 'note_required' | 'note_too_long';

/** The program fields an import needs. */
export interface ImportProgram {
  id: number;
  code: string;
  name: string;
  bidang: string | null;
  unit: 'household' | 'person';
}

/** Throws Forbidden unless the actor may import result files at all. */
export function requireImporter(actor: Actor): void {
  if (!can(actor, 'disbursements.import')) throw new Forbidden('disbursements.import');
}

/** A supervisor with a bidang imports the files of their bidang's programs only. */
export function mayImportProgram(actor: Actor, program: Pick<ImportProgram, 'bidang'>): boolean {
  return actor.bidang === null || program.bidang === actor.bidang;
}

/** Throws Forbidden unless the actor works failed transfers; their scope is their kecamatan (null: the city). */
export function requireWorker(actor: Actor): void {
  if (!can(actor, 'disbursements.work')) throw new Forbidden('disbursements.work');
}
