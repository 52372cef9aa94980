import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import { formatInvitationCode } from '../../../../domain/invitation-code.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { formatDate } from '../../../../domain/dates.ts';
import type { SiteCheckins } from '../../../../services/distribution/checkin-counts.ts';
import type { CodeLookup, CollectionFacts } from '../../../../services/distribution/checkin.ts';
import type { EventListRow } from '../../../../services/distribution/event-list.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, formatTime, Shell } from '../../shell/layout.tsx';

// The check-in page, made for a phone at the distribution site: the event and site pickers, the answer to
// the last step, the identity and kuasa to compare with the KTP, the code field with the scanner, and the
// count collected at each site of the event.

const PAGE_STYLE = `
.checkin input[name=code] { font-size: 1.6rem; letter-spacing: .12em; text-transform: uppercase; width: 100%; max-width: 22rem; box-sizing: border-box; }
.checkin button { font-size: 1.15rem; padding: .7rem 1.2rem; }
.checkin .filters > div { min-width: 0; max-width: 100%; flex: 1 1 14rem; }
.checkin select { width: 100%; max-width: 100%; text-overflow: ellipsis; }
.checkin video { width: 100%; max-width: 26rem; border-radius: .5rem; background: #000; }
.checkin .big { font-size: 1.3rem; font-weight: 700; }
`;

export type Notice = { kind: 'done'; text: string } | { kind: 'error'; text: string };

/** "Already collected": when, where, by whom, recorded by which officer. */
export const collectedText = (t: TFunction, locale: 'id' | 'en', timeZone: string, f: CollectionFacts) =>
  t('checkin_page:refusals.already_collected', {
    when: formatTime(f.collectedAt, locale, timeZone),
    site: f.siteName ?? '—',
    by: f.byProxy ? t('checkin_page:byProxyName', { name: f.collectorName ?? '—' }) : (f.collectorName ?? t('checkin_page:byHousehold')),
    officer: f.recordedBy ?? t('checkin_page:unknownOfficer'),
  });

export function CheckinForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('checkin_page:title')} session={session} here="/console/checkin">
      <h1>{t('checkin_page:title')}</h1>
      <p class="error">{t('checkin_page:forbidden')}</p>
    </Shell>
  );
}

export interface CheckinPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  events: EventListRow[];
  eventId: number | null;
  sites: { id: number; name: string }[];
  siteId: number | null;
  /** Collections so far at each site of the chosen event the officer may check in at. */
  counts: SiteCheckins[];
  code: string | undefined;
  lookup: CodeLookup | undefined;
  notice: Notice | undefined;
}

export function CheckinPage({ t, locale, timeZone, session, events, eventId, sites, siteId, counts, code, lookup: l, notice }: CheckinPageProps) {
  const hidden = (
    <>
      <input type="hidden" name="event" value={eventId === null ? '' : String(eventId)} />
      <input type="hidden" name="site" value={siteId === null ? '' : String(siteId)} />
    </>
  );

  return (
    <Shell t={t} locale={locale} title={t('checkin_page:title')} session={session} here="/console/checkin">
      <style dangerouslySetInnerHTML={{ __html: PAGE_STYLE }} />
      <div class="checkin">
        <h1>{t('checkin_page:title')}</h1>
        {events.length === 0 ? <p class="warn">{t('checkin_page:noEvents')}</p> : null}
        {/* Choosing the event or site is a plain GET: the choice stays in the address for the whole day. */}
        <form method="get" action="/console/checkin" class="filters card">
          <div>
            <label for="event">{t('checkin_page:event')}</label>
            <select id="event" name="event">
              {events.map((e) => (
                <option value={String(e.id)} selected={e.id === eventId}>
                  {`${e.eventDate} · ${e.title}`}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="site">{t('checkin_page:site')}</label>
            <select id="site" name="site">
              {sites.map((s) => (
                <option value={String(s.id)} selected={s.id === siteId}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t('checkin_page:choose')}</button>
        </form>

        {notice ? (
          <p class={notice.kind === 'done' ? 'notice big' : 'error big'} role={notice.kind === 'done' ? 'status' : 'alert'} data-testid="checkin-notice">
            {notice.text}
          </p>
        ) : null}

        {counts.length > 0 ? <CountsCard t={t} counts={counts} siteId={siteId} /> : null}

        {l ? <LookupCard t={t} locale={locale} timeZone={timeZone} session={session} l={l} hidden={hidden} /> : null}

        {events.length > 0 ? (
          <section class="card">
            <form method="post" action="/console/checkin/lookup" id="code-form">
              <Csrf session={session} />
              {hidden}
              <label for="code">{t('checkin_page:code')}</label>
              <input
                id="code"
                name="code"
                value={l ? '' : (code ?? '')}
                autocomplete="off"
                autocapitalize="characters"
                spellcheck={false}
                maxlength={40}
                autofocus
                required
              />
              <p class="meta">{t('checkin_page:codeHint')}</p>
              <button class="primary" type="submit">
                {t('checkin_page:find')}
              </button>
            </form>
            {/* Shown by checkin-scan.js only where a camera can be used; the typed code always works. */}
            <div id="scan" hidden data-unavailable={t('checkin_page:scanUnavailable')} data-scanning={t('checkin_page:scanning')} data-stop={t('checkin_page:scanStop')}>
              <button type="button" class="secondary" id="scan-start">
                {t('checkin_page:scan')}
              </button>
              <p class="meta" id="scan-status" role="status"></p>
              <video id="scan-video" playsinline muted hidden></video>
            </div>
          </section>
        ) : null}
      </div>
      <script src="/console/assets/jsqr.js" defer></script>
      <script src="/console/assets/checkin-scan.js" defer></script>
    </Shell>
  );
}

function LookupCard({ t, locale, timeZone, session, l, hidden }: { t: TFunction; locale: Locale; timeZone: string; session: Session; l: CodeLookup; hidden: Child }) {
  return (
    <section class="card" data-testid="lookup">
      <h2>{t('checkin_page:compare')}</h2>
      <dl class="facts">
        <dt>{t('checkin_page:code')}</dt>
        <dd class="big">{formatInvitationCode(l.code)}</dd>
        <dt>{t('checkin_page:program')}</dt>
        <dd>
          {l.programName} · {l.eventTitle} · {t('checkin_page:round', { round: l.round })}
        </dd>
        <dt>{t('checkin_page:head')}</dt>
        <dd class="big">{l.headName ?? '—'}</dd>
        <dt>{t('checkin_page:birthDate')}</dt>
        <dd class="big" data-testid="birth-date">
          {l.headBirthDate ? formatDate(l.headBirthDate, locale) : '—'}
        </dd>
        <dt>{t('checkin_page:nikEnd')}</dt>
        <dd class="big" data-testid="nik-end">
          {l.headNik ? l.headNik.slice(-4) : '—'}
        </dd>
        <dt>{t('checkin_page:area')}</dt>
        <dd>
          {l.kelurahan} / {l.kecamatan}
        </dd>
        <dt>{t('checkin_page:slot')}</dt>
        <dd>{l.slot ? `${l.slot.siteName} · ${formatTime(l.slot.startsAt, locale, timeZone)}` : '—'}</dd>
        <dt>{t('checkin_page:status')}</dt>
        <dd>{t(`checkin_page:statuses.${l.status}`)}</dd>
        <dt>{t('checkin_page:proxy')}</dt>
        <dd data-testid="proxy">
          {l.proxy
            ? `${l.proxy.name} · ${t('checkin_page:nik')} ${l.proxy.nik} · ${t('checkin_page:proxyRelation', { relation: l.proxy.relation })}`
            : l.proxyPending
              ? t('checkin_page:proxyPending')
              : t('checkin_page:noProxy')}
        </dd>
      </dl>
      {l.blocker === 'already_collected' && l.collected ? (
        <p class="error big" role="alert">
          {collectedText(t, locale, timeZone, l.collected)}
        </p>
      ) : l.blocker ? (
        <p class="error big" role="alert">
          {l.blocker === 'not_collectable'
            ? t('checkin_page:refusals.not_collectable', { status: t(`checkin_page:statuses.${l.status}`) })
            : l.blocker === 'not_yet_open'
              ? t('checkin_page:refusals.not_yet_open', { date: formatDate(l.eventDate, locale) })
              : t(`checkin_page:refusals.${l.blocker}`)}
        </p>
      ) : (
        <form method="post" action="/console/checkin/confirm">
          <Csrf session={session} />
          {hidden}
          <input type="hidden" name="code" value={l.code} />
          {l.proxy ? (
            <p>
              <label>
                <input type="checkbox" name="byProxy" value="1" /> {t('checkin_page:byProxy')}
              </label>
            </p>
          ) : null}
          <button class="primary" type="submit">
            {t('checkin_page:confirm')}
          </button>
        </form>
      )}
    </section>
  );
}

/** "Sudah diambil: 12 dari 40" per site, the officer's own site first. */
function CountsCard({ t, counts, siteId }: { t: TFunction; counts: SiteCheckins[]; siteId: number | null }) {
  const ordered = [...counts].sort((a, b) => Number(b.siteId === siteId) - Number(a.siteId === siteId));
  return (
    <section class="card" aria-labelledby="h-counts" data-testid="checkin-counts">
      <h2 id="h-counts">{t('checkin_page:counts.title')}</h2>
      <ul class="counts">
        {ordered.map((s) => (
          <li data-site={String(s.siteId)} data-collected={String(s.collected)}>
            <strong>{s.siteName}</strong>
            {`: ${t('checkin_page:counts.line', { collected: s.collected, expected: s.expected })}`}
          </li>
        ))}
      </ul>
    </section>
  );
}
