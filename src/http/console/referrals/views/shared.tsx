import type { TFunction } from 'i18next';
import { formatDate } from '../../../../domain/dates.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { ReferralSourceRef } from '../../../../services/referrals/read.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Shell } from '../../shell/layout.tsx';

// What the referral pages share: how a case is named (a tracking ID, "Tugas lapangan #N", "Temuan #N" — never
// the reporter), where its own page is, the notice lines, and the pages for "not yours" and "not there".

export type Notice = { kind: 'done' | 'error'; text: string };

export function sourceLabel(t: TFunction, s: Pick<ReferralSourceRef, 'kind' | 'id' | 'trackingId'>): string {
  if (s.kind === 'complaint') return t('referrals:sources.complaint', { trackingId: s.trackingId ?? `#${s.id}` });
  return t(`referrals:sources.${s.kind}`, { id: s.id });
}

/** The case's own page in the console, where there is one to link to. */
export function sourceHref(s: Pick<ReferralSourceRef, 'kind' | 'id'>): string {
  if (s.kind === 'complaint') return `/console/complaints/${s.id}`;
  if (s.kind === 'field_task') return '/console/field';
  return '/console/quality';
}

export function NoticeLine({ notice }: { notice: Notice | undefined }) {
  if (!notice) return null;
  return (
    <p class={notice.kind === 'error' ? 'error' : 'notice'} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
    </p>
  );
}

export function ReferralMessagePage({ t, locale, session, text }: { t: TFunction; locale: Locale; session: Session; text: string }) {
  return (
    <Shell t={t} locale={locale} title={t('referrals:title')} session={session} here="/console/referrals">
      <h1>{t('referrals:title')}</h1>
      <p class="error">{text}</p>
      <p>
        <a href="/console/referrals">{t('referrals:back')}</a>
      </p>
    </Shell>
  );
}

/** The due date, and "Lewat tenggat" in words when it has passed with the referral still open. */
export function DueDate({ t, locale, dueOn, overdue }: { t: TFunction; locale: Locale; dueOn: string; overdue: boolean }) {
  return (
    <>
      <time datetime={dueOn}>{formatDate(dueOn, locale)}</time>
      {overdue ? (
        <>
          {' '}
          <strong class="late">{t('referrals:overdue')}</strong>
        </>
      ) : null}
    </>
  );
}
