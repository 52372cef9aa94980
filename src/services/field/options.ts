import type { Translator } from '../../i18n.ts';

/** What every services/field call runs with: the clock and the office's zone (default: distribution's zoneOf). */
export interface FieldOptions {
  now: Date;
  timeZone?: string;
  /** The app's translator, for the notes a review writes on a finding; a private one ('id') when absent. */
  i18n?: Translator;
}
