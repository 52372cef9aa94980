import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import { IN_PERSON_PERMISSION } from '../../../services/identity/in-person.ts';
import { mayUseTemplates } from '../../../services/outreach/templates.ts';
import { mayRefer } from '../../../services/referrals/sources.ts';
import { mayUsePrograms } from '../../../services/programs/scope.ts';
import type { Session } from '../../../services/staff/sessions.ts';
import { adminPagesFor } from '../admin/pages.ts';
import { STYLE } from './style.ts';

// The console's page shell. Rendered with Hono JSX: every string is escaped on output, so resident text
// can only ever appear as text. No script runs on these pages; forms post and redirect.


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
  /**
   * The page's one live stream (http/console/shell/live.ts), connected on <body> so the page's own parts and
   * the menu's work badge share it. Unset: the work stream alone, for anyone who works complaints or chats.
   */
  stream?: string;
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

export function Shell({ t, locale, title, session, here, live, stream, children }: ShellProps) {
  const other: Locale = locale === 'id' ? 'en' : 'id';
  const works = session ? seesWork(session) : false;
  const connect = stream ?? (works ? '/console/work/events' : undefined);
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${title} — ${t('console:app.name')}`}</title>
        {/* A constant of this file, not data: safe to insert as is. */}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
        {live || connect ? <LiveScripts /> : null}
        {works ? <script src="/console/assets/console.js" defer></script> : null}
      </head>
      <body {...(connect ? { 'hx-ext': 'sse', 'sse-connect': connect } : {})}>
        <a class="skip" href="#main">
          {t('console:nav.skip')}
        </a>
        <header class="top">
          <a class="brand" href="/console">
            {t('console:app.name')}
          </a>
          {session ? (
            <nav aria-label={t('console:nav.label')}>
              {/* A link is shown only to roles the page would not answer 403. */}
              {can(session.actor, 'complaints.read_queue') || can(session.actor, 'complaints.read_scope') ? (
                <a href="/console/complaints" aria-current={current(here, '/console/complaints')}>
                  {t('console:nav.inbox')} <WorkBadgeSlot />
                </a>
              ) : null}
              {can(session.actor, 'checkin.record') ? <a href="/console/checkin" aria-current={current(here, '/console/checkin')}>{t('checkin_page:nav')}</a> : null}
              {/* Only a field worker has tasks of their own: an admin holds field.work too, but covers no kelurahan. */}
              {session.actor.fieldRole && can(session.actor, 'field.work') ? <a href="/field" aria-current={current(here, '/field')}>{t('field:nav.work')}</a> : null}
              {can(session.actor, 'field.manage') ? <a href="/console/field" aria-current={current(here, '/console/field')}>{t('field:nav.manage')}</a> : null}
              {can(session.actor, 'complaints.assign') ? <a href="/console/duty" aria-current={current(here, '/console/duty')}>{t('duty:nav')}</a> : null}
              {mayRefer(session.actor) ? <a href="/console/referrals" aria-current={current(here, '/console/referrals')}>{t('referrals:nav')}</a> : null}
              {can(session.actor, 'complaints.work') ? (
                <a href="/console/handovers" aria-current={current(here, '/console/handovers')}>
                  {t('console:handover.nav')}
                </a>
              ) : null}
              {can(session.actor, 'residents.read') ? <a href="/console/residents" aria-current={current(here, '/console/residents')}>{t('residents:nav')}</a> : null}
              {can(session.actor, IN_PERSON_PERMISSION) ? <a href="/console/identity/link" aria-current={current(here, '/console/identity/link')}>{t('identity_console:nav')}</a> : null}
              {can(session.actor, 'dashboard.read') ? <a href="/console/dashboard" aria-current={current(here, '/console/dashboard')}>{t('console:dashboard.nav')}</a> : null}
              {can(session.actor, 'distribution.read') ? <a href="/console/distribution" aria-current={current(here, '/console/distribution')}>{t('distribution_console:nav')}</a> : null}
              {can(session.actor, 'reports.read') ? <a href="/console/proposals" aria-current={current(here, '/console/proposals')}>{t('proposals:console.nav')}</a> : null}
              {can(session.actor, 'reports.read') ? <a href="/console/quality" aria-current={current(here, '/console/quality')}>{t('quality:console.nav')}</a> : null}
              {mayUsePrograms(session.actor) ? <a href="/console/programs" aria-current={current(here, '/console/programs')}>{t('programs:nav')}</a> : null}
              {can(session.actor, 'broadcasts.manage') ? <a href="/console/broadcasts" aria-current={current(here, '/console/broadcasts')}>{t('broadcasts:nav')}</a> : null}
              {mayUseTemplates(session.actor) ? <a href="/console/templates" aria-current={current(here, '/console/templates')}>{t('templates:nav')}</a> : null}
              {can(session.actor, 'registry.import') ? <a href="/console/import" aria-current={current(here, '/console/import')}>{t('import:nav')}</a> : null}
              {can(session.actor, 'disbursements.import') ? (
                <a href="/console/disbursements" aria-current={current(here, '/console/disbursements')}>{t('disbursements:nav')}</a>
              ) : can(session.actor, 'disbursements.work') ? (
                <a href="/console/disbursements/failed" aria-current={current(here, '/console/disbursements/failed')}>{t('disbursements:nav')}</a>
              ) : null}
              {adminPagesFor(session.actor).length > 0 ? <a href="/console/admin" aria-current={current(here, '/console/admin')}>{t('admin:nav')}</a> : null}
              <a href="/console/password" aria-current={current(here, '/console/password')}>{t('console:nav.password')}</a>
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
              {works ? (
                <button type="button" class="notify-toggle" id="notify-toggle" hidden aria-pressed="false" data-on={t('console:notify.on')} data-off={t('console:notify.off')} data-message={t('console:notify.message')}>
                  {t('console:notify.off')}
                </button>
              ) : null}
              <form method="post" action="/console/logout">
                <input type="hidden" name="_csrf" value={session.csrfToken} />
                <button type="submit">{t('console:nav.logout')}</button>
              </form>
            </>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}

/** Whoever works complaints or live chats: the menu shows them what waits, and the page may ring. */
function seesWork(session: Session): boolean {
  return can(session.actor, 'complaints.work') || can(session.actor, 'complaints.read_queue') || can(session.actor, 'complaints.read_scope');
}

/** The menu's link to the page being shown, for aria-current (and its style). */
function current(here: string | undefined, path: string): 'page' | undefined {
  return here !== undefined && (here === path || here.startsWith(`${path}/`) || here.startsWith(`${path}?`)) ? 'page' : undefined;
}

/** Filled and refreshed from /console/work/badge when the page's stream says the work changed. */
function WorkBadgeSlot() {
  return <span id="work-badge" hx-get="/console/work/badge" hx-trigger="load, sse:work" hx-swap="outerHTML"></span>;
}

/** The badge itself: what waits for the officer; its number also goes into the tab's title (console.js). */
export function WorkBadge({ t, attention }: { t: TFunction; attention: number }) {
  return (
    <span id="work-badge" class={attention > 0 ? 'badge' : 'badge empty'} hx-get="/console/work/badge" hx-trigger="sse:work" hx-swap="outerHTML" data-attention={String(attention)}>
      {attention > 0 ? <span aria-label={t('console:work.badgeLabel', { count: attention })}>{String(attention)}</span> : null}
    </span>
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
