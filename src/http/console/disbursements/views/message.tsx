import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Shell } from '../../shell/layout.tsx';

/** "Not yours": the disbursement pages answer a role that may not use them with this, and 403. */
export function DisbursementMessagePage({ t, locale, session, text }: { t: TFunction; locale: Locale; session: Session; text: string }) {
  return (
    <Shell t={t} locale={locale} title={t('disbursements:files.title')} session={session} here="/console/disbursements">
      <h1>{t('disbursements:files.title')}</h1>
      <p class="error">{text}</p>
    </Shell>
  );
}
