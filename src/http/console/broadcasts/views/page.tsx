import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import { formatDateTime } from '../../../../domain/dates.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Shell } from '../../shell/layout.tsx';

// What every broadcast page shares: its frame, the texts of a refusal, and how a time reads.

export const NS = 'broadcasts';

/** Who is looking, in which language, and which page the language link returns to. */
export interface PageContext {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  here: string;
}

export function BroadcastShell({ page, title, children }: { page: PageContext; title: string; children?: Child }) {
  return (
    <Shell t={page.t} locale={page.locale} title={title} session={page.session} here={page.here}>
      {children}
    </Shell>
  );
}

export function ForbiddenPage({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <BroadcastShell page={page} title={t(`${NS}:console.forbidden`)}>
      <p>{t(`${NS}:console.forbidden`)}</p>
    </BroadcastShell>
  );
}

export function NotFoundPage({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <BroadcastShell page={page} title={t(`${NS}:console.notFound`)}>
      <p>
        {t(`${NS}:console.notFound`)} <a href="/console/broadcasts">{t(`${NS}:console.back`)}</a>
      </p>
    </BroadcastShell>
  );
}

/** A refusal of the broadcast services as a sentence (a template's in the templates' words); an unknown reason reads as a segment problem. */
export const refusalText = (t: TFunction, reason: string) => t([`${NS}:refusals.${reason}`, `templates:refusals.${reason}`, `${NS}:refusals.invalid_segment`]);

export const whenText = (d: Date | null, page: PageContext) => (d ? formatDateTime(d, page.locale, page.timeZone) : '—');
