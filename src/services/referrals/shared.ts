// What the referral use cases share: the refusals a form can explain, the moves a referral may make, and the
// options every write needs (the office's clock and zone, the translator for the resident's message).

import { isRealDate } from '../../domain/dates.ts';
import type { Locale, ReferralSource, ReferralStatus } from '../../domain/vocabulary.ts';
import type { Translator } from '../../i18n.ts';

/** What the agency is asked to do, or why its status changed: a paragraph, not a file. */
export const NOTE_MAX = 2000;

export type ReferralRefusal =
  | 'not_found'
  | 'invalid_input'
  | 'invalid_date'
  | 'due_in_past'
  | 'note_too_long'
  | 'agency_inactive'
  /** The same case is already with the same agency (sent or accepted): one open referral per source and agency. */
  | 'already_referred'
  /** A move the referral's status does not allow (anything out of done or refused, sent straight to done). */
  | 'invalid_move';

export type ReferralResult<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: ReferralRefusal };

export const refuse = (reason: ReferralRefusal) => ({ ok: false as const, reason });

/**
 * Where a referral may go from each status. An agency first says whether it takes the case; only a case it
 * took can be done; done and refused are final (a refused case is referred again, to another agency or the
 * same one, as a new referral).
 */
export const MOVES: Record<ReferralStatus, readonly ReferralStatus[]> = {
  sent: ['accepted', 'refused'],
  accepted: ['done', 'refused'],
  done: [],
  refused: [],
};

/** Still with the agency: counts for overdue and for "already referred". */
export const OPEN_STATUSES = ['sent', 'accepted'] as const satisfies readonly ReferralStatus[];

export interface ReferralOptions {
  now: Date;
  /** The office's zone: "today" for a due date is the office's today. */
  timeZone: string;
  i18n: Translator;
  defaultLocale: Locale;
}

export interface NewReferral {
  sourceKind: ReferralSource;
  sourceId: number;
  agencyId: number;
  dueOn: string;
  note: string;
}

/** A calendar day as the date input sends it. */
export function isDay(raw: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export const validId = (n: number) => Number.isSafeInteger(n) && n > 0;
