import { Hono } from 'hono';
import type { TFunction } from 'i18next';
import { can } from '../../../services/access.ts';
import { checkinCounts } from '../../../services/distribution/checkin-counts.ts';
import { checkIn, lookupCode, normalizeCheckinCode, type CheckinRefusal, type CodeLookup } from '../../../services/distribution/checkin.ts';
import { eventSites, listEvents, type EventListRow } from '../../../services/distribution/event-list.ts';
import { todayIn, addDays, formatDate } from '../../../domain/dates.ts';
import { formatInvitationCode } from '../../../domain/invitation-code.ts';
import type { AppDeps } from '../../context.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { CheckinForbidden, CheckinPage, collectedText, type Notice } from './views/checkin.tsx';

// The field officer's check-in page, made for a phone at the distribution site: pick the event and site
// once (they stay in the address), type or scan a code, compare the birth date, the NIK's end and the kuasa
// with the KTP, confirm; the count collected at each site shows how far the day has come. Every step goes through services/distribution/checkin.ts, which checks role, scope, status
// and double collection under a row lock; the page only shows what it answers.

function parseId(raw: string | undefined): number | null {
  return raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null;
}

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

  const forbidden = (c: ConsoleContext) => c.html(<CheckinForbidden t={deps.i18n.getFixedT(c.get('locale'))} locale={c.get('locale')} session={c.get('session')} />, 403);

  /** Events a check-in can happen at now: not cancelled or done, from yesterday on (an event may run late). */
  const runningEvents = async (c: ConsoleContext): Promise<EventListRow[]> => {
    const today = todayIn(deps.timeZone, deps.clock());
    return listEvents(db, c.get('session').actor, { fromDate: addDays(today, -1), statuses: ['planned', 'open', 'moved'] });
  };

  const refusalText = (t: TFunction, locale: 'id' | 'en', r: CheckinRefusal): string => {
    if (r.reason === 'already_collected') return collectedText(t, locale, deps.timeZone, r);
    if (r.reason === 'not_collectable') return t('checkin_page:refusals.not_collectable', { status: t(`checkin_page:statuses.${r.status}`) });
    if (r.reason === 'not_yet_open') return t('checkin_page:refusals.not_yet_open', { date: formatDate(r.opensOn, locale) });
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
    const counts = eventId === null ? [] : await checkinCounts(db, session.actor, eventId);
    return c.html(
      <CheckinPage
        t={t}
        locale={locale}
        timeZone={deps.timeZone}
        session={session}
        events={events}
        eventId={eventId}
        sites={sites}
        siteId={siteId}
        counts={counts}
        code={state.code}
        lookup={state.lookup}
        notice={state.notice}
      />,
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
    const result = await lookupCode(db, c.get('session').actor, { code, eventId, siteId }, { now: deps.clock(), timeZone: deps.timeZone });
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
