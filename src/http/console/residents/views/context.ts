import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Session } from '../../../../services/staff/sessions.ts';

// What every page of the resident lookup is rendered with, and its addresses. Pure: no data access here.

export interface PageContext {
  t: TFunction;
  locale: Locale;
  session: Session;
  timeZone: string;
}

export const RESIDENTS_PATH = '/console/residents';
export const householdPath = (id: number) => `${RESIDENTS_PATH}/households/${id}`;
