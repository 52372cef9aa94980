import type { TFunction } from 'i18next';
import { formatDate } from '../../../../domain/dates.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Shell } from '../../shell/layout.tsx';

// What the distribution pages share: their texts' namespace, the 403 and 404 pages, the text of a refusal
// and how a day reads. An event outside the person's area is answered exactly like one that does not exist.

export const NS = 'distribution_console';

/** Who is looking and in which language. */
export interface PageContext {
  t: TFunction;
  locale: Locale;
  session: Session;
}

export function ForbiddenPage({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={t(`${NS}:forbidden.title`)} session={page.session} here="/console">
      <h1>{t(`${NS}:forbidden.title`)}</h1>
      <p>{t(`${NS}:forbidden.text`)}</p>
    </Shell>
  );
}

export function NotFoundPage({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={t(`${NS}:notFound.title`)} session={page.session} here="/console/distribution">
      <h1>{t(`${NS}:notFound.title`)}</h1>
      <p>{t(`${NS}:notFound.text`)}</p>
      <p>
        <a href="/console/distribution">{t(`${NS}:back`)}</a>
      </p>
    </Shell>
  );
}

/**
 * A refusal of a distribution service as a sentence; an unknown reason falls back to the general one. A
 * template's refusal (template_missing…) reads the same wherever it is met: its text is in templates.json.
 */
export function refusalText(t: TFunction, reason: string): string {
  return t([`${NS}:refusals.${reason}`, `templates:refusals.${reason}`, `${NS}:refusals.invalid_input`]);
}

/** "Kamis, 10 Desember 2026". */
export function dayText(iso: string, locale: 'id' | 'en'): string {
  return formatDate(iso, locale);
}
