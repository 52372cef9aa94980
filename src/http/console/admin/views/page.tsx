import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Shell } from '../../shell/layout.tsx';

// The frame of an admin page (with the way back to the admin index) and the 403/404 pages of the area.

/** Who is looking and in which language. */
export interface PageContext {
  t: TFunction;
  locale: Locale;
  session: Session;
}

/** A page of the admin area, with the breadcrumb back to the admin index. */
export function AdminFrame({ page, title, here, children }: { page: PageContext; title: string; here: string; children?: Child }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={title} session={page.session} here={here}>
      <p>
        <a href="/console/admin">← {t('admin:index.title')}</a>
      </p>
      <h1>{title}</h1>
      {children}
    </Shell>
  );
}

export function AdminForbidden({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={t('admin:forbidden.title')} session={page.session} here="/console">
      <h1>{t('admin:forbidden.title')}</h1>
      <p>{t('admin:forbidden.text')}</p>
    </Shell>
  );
}

export function AdminNotFound({ page, back }: { page: PageContext; back: string }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={t('admin:notFound.title')} session={page.session} here={back}>
      <h1>{t('admin:notFound.title')}</h1>
      <p>{t('admin:notFound.text')}</p>
      <p>
        <a href={back}>{t('admin:notFound.back')}</a>
      </p>
    </Shell>
  );
}
