import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { MessagePage } from '../../shell/notice.tsx';

// What the program pages share: the notice line and the page for "not yours" and "not there".

export type { Notice } from '../../shell/notice.tsx';
export { NoticeLine } from '../../shell/notice.tsx';

export function ProgramMessagePage({ t, locale, session, text }: { t: TFunction; locale: Locale; session: Session; text: string }) {
  return <MessagePage t={t} locale={locale} session={session} title={t('programs:title')} here="/console/programs" back={t('programs:back')} text={text} />;
}
