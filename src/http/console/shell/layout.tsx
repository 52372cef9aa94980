import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import { IN_PERSON_PERMISSION } from '../../../services/identity/in-person.ts';
import { mayUseTemplates } from '../../../services/outreach/templates.ts';
import type { Session } from '../../../services/staff/sessions.ts';
import { adminPagesFor } from '../admin/pages.ts';

// The console's page shell. Rendered with Hono JSX: every string is escaped on output, so resident text
// can only ever appear as text. No script runs on these pages; forms post and redirect.

const STYLE = `
:root { font-size: 16px; color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6f5; color: #111; }
header.top { background: #0b5d3b; color: #fff; padding: .5rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
header.top a, header.top button { color: #fff; }
header.top .brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
header.top nav { display: flex; gap: 1rem; flex: 1; }
header.top form { margin: 0; }
header.top button { background: none; border: 1px solid #fff; border-radius: .3rem; padding: .2rem .6rem; font: inherit; cursor: pointer; }
main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
.card { background: #fff; border: 1px solid #cfd8d3; border-radius: .5rem; padding: 1rem; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #dde3e0; vertical-align: top; }
th { background: #e8efeb; }
.tabs { display: flex; gap: .3rem; margin-bottom: .6rem; }
.tabs a { padding: .4rem .8rem; border: 1px solid #0b5d3b; border-radius: .4rem; color: #0b5d3b; text-decoration: none; }
.tabs a[aria-current="page"] { background: #0b5d3b; color: #fff; }
.filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; margin-bottom: .8rem; }
label { display: block; font-weight: 600; margin-bottom: .2rem; }
input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #6b7f77; border-radius: .3rem; }
textarea { width: 100%; min-height: 6rem; }
button.primary, .filters button { background: #0b5d3b; color: #fff; border: 0; border-radius: .3rem; padding: .45rem .9rem; font: inherit; cursor: pointer; }
button.secondary { background: #fff; color: #0b5d3b; border: 1px solid #0b5d3b; border-radius: .3rem; padding: .45rem .9rem; font: inherit; cursor: pointer; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; }
.actions form { margin: 0; }
.error { background: #fde8e8; border: 1px solid #c53030; color: #8a1c1c; padding: .6rem .8rem; border-radius: .4rem; }
.notice { background: #e6f4ea; border: 1px solid #2f855a; padding: .6rem .8rem; border-radius: .4rem; }
.warn { background: #fff8e1; border: 1px solid #b7791f; padding: .6rem .8rem; border-radius: .4rem; }
.late { color: #a61b1b; font-weight: 600; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.events { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: .5rem; }
.events li { border: 1px solid #dde3e0; border-radius: .4rem; padding: .5rem .7rem; background: #fff; }
.events li.message_in { border-left: 4px solid #3182ce; }
.events li.message_out { border-left: 4px solid #0b5d3b; background: #f0f8f3; }
.events li.note { border-left: 4px solid #b7791f; background: #fffbeb; }
.meta { font-size: .8rem; color: #4a5a54; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.login { max-width: 24rem; margin: 3rem auto; }
.login input { width: 100%; }
.field { margin-bottom: .8rem; }
`;

export interface ShellProps {
  t: TFunction;
  locale: Locale;
  title: string;
  /** Present when someone is signed in: the header shows the menu and the logout button. */
  session?: Session;
  /** Where the language link leads (a page that answers GET); the current path when absent. */
  here?: string;
  /** Load htmx and its SSE extension: the page has parts that update themselves. */
  live?: boolean;
  children?: Child;
}

/** htmx and its server-sent-events extension, locked down (no eval, no script tags): pages that update live. */
export function LiveScripts() {
  return (
    <>
      <meta name="htmx-config" content='{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,"historyCacheSize":0}' />
      <script src="/console/assets/htmx.min.js" defer></script>
      <script src="/console/assets/htmx-sse.min.js" defer></script>
    </>
  );
}

export function Shell({ t, locale, title, session, here, live, children }: ShellProps) {
  const other: Locale = locale === 'id' ? 'en' : 'id';
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${title} — ${t('console:app.name')}`}</title>
        {/* A constant of this file, not data: safe to insert as is. */}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
        {live ? <LiveScripts /> : null}
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/console">
            {t('console:app.name')}
          </a>
          {session ? (
            <nav aria-label={t('console:nav.label')}>
              {/* A link is shown only to roles the page would not answer 403. */}
              {can(session.actor, 'complaints.read_queue') || can(session.actor, 'complaints.read_scope') ? <a href="/console/complaints">{t('console:nav.inbox')}</a> : null}
              {can(session.actor, 'checkin.record') ? <a href="/console/checkin">{t('checkin_page:nav')}</a> : null}
              {can(session.actor, 'complaints.work') ? <a href="/console/handovers">{t('console:handover.nav')}</a> : null}
              {can(session.actor, IN_PERSON_PERMISSION) ? <a href="/console/identity/link">{t('identity_console:nav')}</a> : null}
              {can(session.actor, 'dashboard.read') ? <a href="/console/dashboard">{t('console:dashboard.nav')}</a> : null}
              {can(session.actor, 'distribution.read') ? <a href="/console/distribution">{t('distribution_console:nav')}</a> : null}
              {can(session.actor, 'reports.read') ? <a href="/console/proposals">{t('proposals:console.nav')}</a> : null}
              {can(session.actor, 'reports.read') ? <a href="/console/quality">{t('quality:console.nav')}</a> : null}
              {can(session.actor, 'broadcasts.manage') ? <a href="/console/broadcasts">{t('broadcasts:nav')}</a> : null}
              {mayUseTemplates(session.actor) ? <a href="/console/templates">{t('templates:nav')}</a> : null}
              {can(session.actor, 'registry.import') ? <a href="/console/import">{t('import:nav')}</a> : null}
              {adminPagesFor(session.actor).length > 0 ? <a href="/console/admin">{t('admin:nav')}</a> : null}
              <a href="/console/password">{t('console:nav.password')}</a>
            </nav>
          ) : (
            <nav />
          )}
          <a href={`${here ?? ''}?lang=${other}`} hreflang={other} lang={other}>
            {t(`console:app.switchTo.${other}`)}
          </a>
          {session ? (
            <>
              <span class="me">{session.staff.name}</span>
              <form method="post" action="/console/logout">
                <input type="hidden" name="_csrf" value={session.csrfToken} />
                <button type="submit">{t('console:nav.logout')}</button>
              </form>
            </>
          ) : null}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

/** A hidden CSRF field for a form of the signed-in console. */
export function Csrf({ session }: { session: Session }) {
  return <input type="hidden" name="_csrf" value={session.csrfToken} />;
}

/** One action as one button (close, cancel, revoke, delete): a form of its own that posts with the CSRF field. */
export function PostButton({ session, action, label }: { session: Session; action: string; label: string }) {
  return (
    <form method="post" action={action}>
      <Csrf session={session} />
      <button class="secondary" type="submit">
        {label}
      </button>
    </form>
  );
}

const TIME_ZONE = 'Asia/Jakarta';

/** An instant as the office reads it (APP_TIMEZONE; WIB unless told otherwise). */
export function formatTime(d: Date, locale: Locale, timeZone: string = TIME_ZONE): string {
  return new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
}

/** "2 hari 3 jam" / "45 menit": a duration for SLA columns. */
export function formatDuration(t: TFunction, ms: number): string {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t('console:duration.daysHours', { d, h });
  if (h > 0) return t('console:duration.hoursMinutes', { h, m });
  return t('console:duration.minutes', { m });
}
