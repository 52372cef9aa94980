import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Shell } from '../../shell/layout.tsx';

// What every handover page shares: who is looking, and the page that says a conversation is not there or
// not the person's to see.

export interface PageContext {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
}

export function HandoverMessagePage({ page, kind }: { page: PageContext; kind: 'notFound' | 'forbidden' }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={t(`console:handover.${kind}.title`)} session={page.session} here="/console/handovers">
      <h1>{t(`console:handover.${kind}.title`)}</h1>
      <p>{t(`console:handover.${kind}.text`)}</p>
      <p>
        <a href="/console/handovers">{t('console:handover.back')}</a>
      </p>
    </Shell>
  );
}
