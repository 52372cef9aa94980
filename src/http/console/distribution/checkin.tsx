import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import { can } from '../../../services/access.ts';
import { checkIn, lookupCode, normalizeCheckinCode, type CheckinRefusal, type CodeLookup, type CollectionFacts } from '../../../services/distribution/checkin.ts';
import { eventSites, listEvents, type EventListRow } from '../../../services/distribution/event-list.ts';
import { todayIn, addDays } from '../../../domain/dates.ts';
import { formatInvitationCode } from '../../../domain/invitation-code.ts';
import type { AppDeps } from '../../context.ts';
import { Csrf, formatTime, Shell } from '../shell/layout.tsx';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';

// The field officer's check-in page, made for a phone at the distribution site: pick the event and site
// once (they stay in the address), type or scan a code, compare the masked identity and the kuasa with the
// KTP, confirm. Every step goes through services/distribution/checkin.ts, which checks role, scope, status
// and double collection under a row lock; the page only shows what it answers.

const PAGE_STYLE = `
.checkin input[name=code] { font-size: 1.6rem; letter-spacing: .12em; text-transform: uppercase; width: 100%; max-width: 22rem; }
.checkin button { font-size: 1.15rem; padding: .7rem 1.2rem; }
.checkin .filters > div { min-width: 0; max-width: 100%; flex: 1 1 14rem; }
.checkin select { width: 100%; max-width: 100%; text-overflow: ellipsis; }
.checkin video { width: 100%; max-width: 26rem; border-radius: .5rem; background: #000; }
.checkin .big { font-size: 1.3rem; font-weight: 700; }
`;

function parseId(raw: string | undefined): number | null {
  return raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null;
}

type Notice = { kind: 'done'; text: string } | { kind: 'error'; text: string };

interface PageState {
  eventId: number | null;
  siteId: number | null;
  code?: string;
  lookup?: CodeLookup;
  notice?: Notice;
}

export function checkinRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const forbidden = (c: ConsoleContext) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('checkin_page:title')} session={c.get('session')} here="/console/checkin">
        <h1>{t('checkin_page:title')}</h1>
        <p class="error">{t('checkin_page:forbidden')}</p>
      </Shell>,
      403,
    );
  };

  /** Events a check-in can happen at now: not cancelled or done, from yesterday on (an event may run late). */
  const runningEvents = async (c: ConsoleContext): Promise<EventListRow[]> => {
    const today = todayIn(deps.timeZone, deps.clock());
    return listEvents(db, c.get('session').actor, { fromDate: addDays(today, -1), statuses: ['planned', 'open', 'moved'] });
  };

  const collectedText = (t: TFunction, locale: 'id' | 'en', f: CollectionFacts) =>
    t('checkin_page:refusals.already_collected', {
      when: formatTime(f.collectedAt, locale, deps.timeZone),
      site: f.siteName ?? '—',
      by: f.byProxy ? t('checkin_page:byProxyName', { name: f.collectorName ?? '—' }) : (f.collectorName ?? t('checkin_page:byHousehold')),
      officer: f.recordedBy ?? t('checkin_page:unknownOfficer'),
    });

  const refusalText = (t: TFunction, locale: 'id' | 'en', r: CheckinRefusal): string => {
    if (r.reason === 'already_collected') return collectedText(t, locale, r);
    if (r.reason === 'not_collectable') return t('checkin_page:refusals.not_collectable', { status: t(`checkin_page:statuses.${r.status}`) });
    return t(`checkin_page:refusals.${r.reason}`);
  };

  const page = async (c: ConsoleContext, state: PageState, status: 200 | 403 | 404 | 409 | 422 = 200) => {
    const t = deps.i18n.getFixedT(c.get('locale'));
    const locale = c.get('locale');
    const session = c.get('session');
    const events = await runningEvents(c);
    const today = todayIn(deps.timeZone, deps.clock());
    const eventId = state.eventId ?? events.find((e) => e.eventDate === today)?.id ?? events[0]?.id ?? null;
    const sites = eventId === null ? [] : await eventSites(db, session.actor, eventId);
    const siteId = state.siteId !== null && sites.some((s) => s.id === state.siteId) ? state.siteId : (sites[0]?.id ?? null);
    const l = state.lookup;
    const hidden = (
      <>
        <input type="hidden" name="event" value={eventId === null ? '' : String(eventId)} />
        <input type="hidden" name="site" value={siteId === null ? '' : String(siteId)} />
      </>
    );

    return c.html(
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

          {state.notice ? (
            <p class={state.notice.kind === 'done' ? 'notice big' : 'error big'} role={state.notice.kind === 'done' ? 'status' : 'alert'} data-testid="checkin-notice">
              {state.notice.text}
            </p>
          ) : null}

          {l ? (
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
                <dt>{t('checkin_page:nik')}</dt>
                <dd>{l.headNik ?? '—'}</dd>
                <dt>{t('checkin_page:area')}</dt>
                <dd>
                  {l.kelurahan} / {l.kecamatan}
                </dd>
                <dt>{t('checkin_page:slot')}</dt>
                <dd>{l.slot ? `${l.slot.siteName} · ${formatTime(l.slot.startsAt, locale, deps.timeZone)}` : '—'}</dd>
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
                  {collectedText(t, locale, l.collected)}
                </p>
              ) : l.blocker ? (
                <p class="error big" role="alert">
                  {l.blocker === 'not_collectable'
                    ? t('checkin_page:refusals.not_collectable', { status: t(`checkin_page:statuses.${l.status}`) })
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
          ) : null}

          {events.length > 0 ? (
            <section class="card">
              <form method="post" action="/console/checkin/lookup" id="code-form">
                <Csrf session={session} />
                {hidden}
                <label for="code">{t('checkin_page:code')}</label>
                <input
                  id="code"
                  name="code"
                  value={l ? '' : (state.code ?? '')}
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
      </Shell>,
      status,
    );
  };

  const may = (c: ConsoleContext) => can(c.get('session').actor, 'checkin.record');

  app.get('/console/checkin', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    return page(c, { eventId: parseId(c.req.query('event')), siteId: parseId(c.req.query('site')) });
  });

  const fields = async (c: ConsoleContext) => ({
    eventId: parseId(await formField(c, 'event')),
    siteId: parseId(await formField(c, 'site')),
    code: (await formField(c, 'code')).slice(0, 200),
  });

  app.post('/console/checkin/lookup', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const t = deps.i18n.getFixedT(c.get('locale'));
    const { eventId, siteId, code } = await fields(c);
    if (code.trim() === '') return page(c, { eventId, siteId, notice: { kind: 'error', text: t('checkin_page:refusals.bad_code') } }, 422);
    const result = await lookupCode(db, c.get('session').actor, { code, eventId, siteId }, { now: deps.clock() });
    if (!result.ok) return page(c, { eventId, siteId, code, notice: { kind: 'error', text: refusalText(t, c.get('locale'), result) } }, result.reason === 'unknown_code' ? 404 : 422);
    return page(c, { eventId, siteId, lookup: result.lookup });
  });

  app.post('/console/checkin/confirm', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const t = deps.i18n.getFixedT(c.get('locale'));
    const locale = c.get('locale');
    const { eventId, siteId, code } = await fields(c);
    const byProxy = (await formField(c, 'byProxy')) === '1';
    const result = await checkIn(db, c.get('session').actor, { code, eventId, siteId, byProxy }, { now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale });
    if (!result.ok) return page(c, { eventId, siteId, code, notice: { kind: 'error', text: refusalText(t, locale, result) } }, result.reason === 'already_collected' ? 409 : 422);
    const sites = eventId === null ? [] : await eventSites(db, c.get('session').actor, eventId);
    const site = sites.find((s) => s.id === result.siteId)?.name ?? '—';
    const time = new Intl.DateTimeFormat(locale === 'id' ? 'id-ID' : 'en-GB', { timeZone: deps.timeZone, timeStyle: 'short' }).format(result.collectedAt);
    const text = t(result.receipts > 0 ? 'checkin_page:done' : 'checkin_page:doneNoChat', { code: formatInvitationCode(normalizeCheckinCode(code)), time, site, receipts: result.receipts });
    return page(c, { eventId, siteId, notice: { kind: 'done', text } });
  });

  return app;
}
