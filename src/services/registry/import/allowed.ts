import { ENROLLMENT_STATUSES, RELATIONSHIPS, SEXES } from '../../../domain/vocabulary.ts';
import { maskIdNumbers } from '../../../domain/mask.ts';
import { YES_NO } from './fields.ts';

// The allowed values behind every refusal of an enumerated cell (issue 18: "aktif" was refused without
// saying what is accepted). Read from the vocabulary, so the report can never list a value the importer
// refuses, nor miss one it takes. Program codes are data, not vocabulary: the importer adds them (run.ts).

export const ALLOWED_VALUES: Readonly<Record<string, readonly string[]>> = {
  status_invalid: ENROLLMENT_STATUSES,
  hubungan_invalid: RELATIONSHIPS,
  sex_invalid: SEXES,
  yes_no_invalid: YES_NO,
};

/** "must be one of a/b/c": the detail of a refused enumerated cell, for the CLI's report. */
export const oneOf = (column: string, reason: keyof typeof ALLOWED_VALUES) => `${column} must be one of ${ALLOWED_VALUES[reason]!.join('/')}`;

/**
 * The value as the report may repeat it: short, and with any 16-digit run masked (a NIK pasted into the
 * wrong column is still a NIK). Only cells of enumerated columns are ever repeated, never free text.
 */
export const shownValue = (cell: string) => maskIdNumbers(cell.trim().slice(0, 40));
