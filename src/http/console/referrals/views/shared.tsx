import type { TFunction } from 'i18next';
import { formatDate } from '../../../../domain/dates.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { ReferralSourceRef } from '../../../../services/referrals/read.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { MessagePage } from '../../shell/notice.tsx';

// What the referral pages share: how a case is named (a tracking ID, "Tugas lapangan #N", "Temuan #N" — never
// the reporter), where its own page is, the notice lines, and the pages for "not yours" and "not there".

export type { Notice } from '../../shell/notice.tsx';
export { NoticeLine } from '../../shell/notice.tsx';

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

export function ReferralMessagePage({ t, locale, session, text }: { t: TFunction; locale: Locale; session: Session; text: string }) {
  return <MessagePage t={t} locale={locale} session={session} title={t('referrals:title')} here="/console/referrals" back={t('referrals:back')} text={text} />;
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
