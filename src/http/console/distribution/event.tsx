import { Hono } from 'hono';
import { zonedParts } from '../../../domain/dates.ts';
import { areaChoices, programChoices, type AreaChoice } from '../../../services/distribution/console-options.ts';
import { listEvents } from '../../../services/distribution/event-list.ts';
import { cancelEvent, changeEvent, getEvent } from '../../../services/distribution/events.ts';
import { inviteHouseholds } from '../../../services/distribution/invite.ts';
import { proxyAttachments, type ProxyAttachmentView } from '../../../services/distribution/proxy-attachments.ts';
import { decideProxy, pendingProxies, type PendingProxy } from '../../../services/distribution/proxies.ts';
import { cancelPreview, closePreview, nextRoundPreview } from '../../../services/distribution/guards.ts';
import { closeEvent, nextRound } from '../../../services/distribution/rounds.ts';
import { allocationPreview } from '../../../services/distribution/allocation.ts';
import { reachPreview } from '../../../services/distribution/reach.ts';
import { selectRecipients } from '../../../services/distribution/selection.ts';
import { siteTooFarCounts } from '../../../services/distribution/allocation.ts';
import { listSites } from '../../../services/distribution/sites.ts';
import type { AppDeps } from '../../context.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { forbidden, formFields, mayManage, mayRead, notFound, parseId, serviceOpts, tOf } from './shared.tsx';
import { DONE, EventPage, type ShowOptions } from './views/event.tsx';
import { eventTemplatesView } from './template-choice.ts';

// One distribution event: its slots and seats, and everything staff do with it — invite households of an
// area (count first with "Hitung", then send), move it, cancel it, close it after the day, summon the
// no-shows to a later event, and decide the kuasa residents asked for. Every action goes through the
// distribution services, which check the role, the area and the event's status; the page only shows what
// they answer. Actions post and redirect; a refusal is shown at once with what was typed kept.
//
// Inviting, closing, cancelling and summoning the no-shows reach many households at once and cannot be
// undone, so each acts only on a POST carrying confirm=1. A POST without it changes nothing and answers the
// page with a confirmation panel that says, with the services' counts, what will happen; its button posts
// again with confirm=1. No script is needed, and a stray or replayed form cannot act by itself.

type Area = { kecamatanIds?: number[]; kelurahanIds?: number[] };

/** The area select's value: '' (everything in the person's area), 'kec:ID' or 'kel:ID'. */
function parseArea(raw: string | undefined): Area | null {
  if (!raw) return {};
  const m = /^(kec|kel):([1-9]\d{0,9})$/.exec(raw);
  if (!m) return null;
  return m[1] === 'kec' ? { kecamatanIds: [Number(m[2])] } : { kelurahanIds: [Number(m[2])] };
}

/** Loads what the event page shows, by the person's role and the event's status, and renders it. */
export function eventPage(deps: AppDeps) {
  const db = deps.database.db;

  return async (c: ConsoleContext, id: number, opts: ShowOptions = {}, status: 200 | 404 | 422 = 200) => {
    const actor = c.get('session').actor;
    const event = await getEvent(db, actor, id);
    if (!event) return notFound(deps, c);
    const manage = mayManage(c);
    const open = event.status !== 'cancelled' && event.status !== 'done';
    const [siteRows, areas, proxies, laterEvents] = await Promise.all([
      listSites(db, actor),
      manage && open ? areaChoices(db, actor) : Promise.resolve([] as AreaChoice[]),
      manage && open ? pendingProxies(db, actor, { eventId: id }, { now: deps.clock() }) : Promise.resolve([] as PendingProxy[]),
      manage && event.status === 'done' ? listEvents(db, actor, { statuses: ['planned', 'open', 'moved'], fromDate: event.eventDate, limit: 500 }) : Promise.resolve([]),
    ]);
    // The surat kuasa photos sent with the listed kuasa: what they are and whether they are stored yet.
    const photos = proxies.length > 0 ? await proxyAttachments(db, actor, proxies.map((p) => p.proxyId)) : new Map<number, ProxyAttachmentView[]>();
    const targets = laterEvents.filter((e) => e.id !== event.id && e.eventDate > event.eventDate);
    const program = (await programChoices(db, actor)).find((p) => p.id === event.programId);
    const tooFar = await siteTooFarCounts(db, actor, id);
    return c.html(
      <EventPage
        t={tOf(deps, c)}
        locale={c.get('locale')}
        timeZone={deps.timeZone}
        session={c.get('session')}
        event={event}
        programName={program?.name ?? ''}
        siteName={new Map(siteRows.map((s) => [s.id, s.name]))}
        manage={manage}
        areas={areas}
        proxies={proxies}
        photos={photos}
        sameProgram={targets.filter((e) => e.programCode === program?.code)}
        tooFar={tooFar.ok ? tooFar.sites : []}
        templates={manage && open ? await eventTemplatesView(deps, actor, event) : undefined}
        opts={opts}
      />,
      status,
    );
  };
}

export function eventRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const show = eventPage(deps);

  app.get('/console/distribution/:id', guard, async (c) => {
    if (!mayRead(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(deps, c);
    const done = DONE.find((d) => d === c.req.query('done'));
    const counts: Record<string, string> = {};
    for (const k of ['invited', 'withoutChat', 'full', 'noShows', 'cancelled', 'notified', 'atMax', 'chat', 'whatsapp', 'paper']) {
      const v = c.req.query(k);
      if (v !== undefined && /^\d{1,9}$/.test(v)) counts[k] = v;
    }
    if (c.req.query('preview') && mayManage(c)) return invitePreview(deps, show)(c, id, c.req.query('area') ?? '');
    // The last day Meta's limit lets the round reach, as the invite redirect names it (a date, nothing else).
    const lastDay = /^\d{4}-\d{2}-\d{2}$/.exec(c.req.query('lastDay') ?? '')?.[0];
    const dailyLimit = deps.outreach?.cloud?.dailyNewConversations;
    return show(c, id, done ? { done, counts, ...(lastDay && dailyLimit ? { lastDay, dailyLimit } : {}) } : {});
  });

  eventActions(deps, app, show);

  const actor = (c: ConsoleContext) => c.get('session').actor;

  app.post('/console/distribution/:id/proxies/:proxyId', guard, csrf, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    const proxyId = parseId(c.req.param('proxyId'));
    if (id === null || proxyId === null) return notFound(deps, c);
    const f = await formFields(c);
    const approve = f.decision === 'approve';
    if (!approve && f.decision !== 'reject') return show(c, id, { error: 'invalid_input' }, 422);
    const note = f.note ?? '';
    // The event must be visible to the person; decideProxy checks the proxy's own area too.
    if (!(await getEvent(db, actor(c), id))) return notFound(deps, c);
    const r = await decideProxy(db, actor(c), proxyId, { approve, note }, serviceOpts(deps));
    if (r.ok) return c.redirect(`/console/distribution/${id}?done=${approve ? 'proxy_approved' : 'proxy_rejected'}`, 303);
    return show(c, id, { error: `proxy_${r.reason}`, ...(approve ? {} : { rejectNote: { proxyId, note } }) }, r.reason === 'not_found' ? 404 : 422);
  });

  return app;
}

/** The invite count for an area (GET ?preview=1, or an invite posted without confirm=1): the confirmation of inviting. */
function invitePreview(deps: AppDeps, show: ReturnType<typeof eventPage>) {
  const db = deps.database.db;
  return async (c: ConsoleContext, id: number, raw: string) => {
    const area = parseArea(raw);
    if (!area) return show(c, id, { error: 'invalid_input' }, 422);
    const r = await selectRecipients(db, c.get('session').actor, { eventId: id, ...area });
    if (!r.ok) return r.reason === 'not_found' ? notFound(deps, c) : show(c, id, { error: r.reason, area: raw }, 422);
    const [reach, allocation] = await Promise.all([
      reachPreview(db, c.get('session').actor, id, r.householdIds, serviceOpts(deps)),
      allocationPreview(db, c.get('session').actor, id, r.householdIds, deps.clock()),
    ]);
    return show(c, id, { preview: { area: raw, count: r.count, ...(reach.ok ? { reach: reach.reach } : {}), ...(allocation.ok ? { allocation } : {}) } });
  };
}

/** The event's POST actions: invite, change, cancel, close, next round. */
function eventActions(deps: AppDeps, app: Hono<ConsoleEnv>, show: ReturnType<typeof eventPage>) {
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  /** A POST action: permission, id, the service call, then a redirect (or the page with the refusal). */
  type Answer = { redirect: string } | { refused: string; keep?: ShowOptions } | { confirm: ShowOptions } | { page: Response };
  const action = (path: string, run: (c: ConsoleContext, id: number, f: Record<string, string>) => Promise<Answer>) =>
    app.post(`/console/distribution/:id/${path}`, guard, csrf, async (c) => {
      if (!mayManage(c)) return forbidden(deps, c);
      const id = parseId(c.req.param('id'));
      if (id === null) return notFound(deps, c);
      const out = await run(c, id, await formFields(c));
      if ('page' in out) return out.page;
      if ('confirm' in out) return show(c, id, out.confirm);
      if ('redirect' in out) return c.redirect(`/console/distribution/${id}?${out.redirect}`, 303);
      if (out.refused === 'not_found') return notFound(deps, c);
      return show(c, id, { error: out.refused, ...out.keep }, 422);
    });
  const confirmed = (f: Record<string, string>) => f.confirm === '1';

  const actor = (c: ConsoleContext) => c.get('session').actor;

  action('invite', async (c, id, f) => {
    if (!confirmed(f)) return { page: await invitePreview(deps, show)(c, id, f.area ?? '') };
    const area = parseArea(f.area);
    if (!area) return { refused: 'invalid_input' };
    // Selected again at sending time: whoever was invited or collected since the count is left out.
    const chosen = await selectRecipients(db, actor(c), { eventId: id, ...area });
    if (!chosen.ok) return { refused: chosen.reason, keep: { area: f.area ?? '' } };
    if (chosen.count === 0) return { refused: 'nobody_to_invite', keep: { area: f.area ?? '' } };
    const r = await inviteHouseholds(db, actor(c), { eventId: id, householdIds: chosen.householdIds }, serviceOpts(deps));
    if (!r.ok) return { refused: r.reason, keep: { area: f.area ?? '' } };
    const full = r.notInvited.filter((n) => n.reason === 'no_capacity').length;
    return { redirect: `done=invited&invited=${r.invited}&withoutChat=${r.withoutChat}&full=${full}&chat=${r.reach.chat}&whatsapp=${r.reach.whatsapp}&paper=${r.reach.paper}${lastDayParam(r.lastOpeningAt, r.invited, deps)}` };
  });

  action('change', async (c, id, f) => {
    const event = await getEvent(db, actor(c), id);
    if (!event) return { refused: 'not_found' };
    const local = (d: Date) => {
      const p = zonedParts(d, deps.timeZone);
      return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
    };
    const typed: Record<string, { start: string; end: string }> = {};
    const slots: { slotId: number; start: string; end: string }[] = [];
    for (const s of event.slots) {
      const start = (f[`start_${s.id}`] ?? '').trim() || local(s.startsAt);
      const end = (f[`end_${s.id}`] ?? '').trim() || local(s.endsAt);
      typed[s.id] = { start, end };
      if (start !== local(s.startsAt) || end !== local(s.endsAt)) slots.push({ slotId: s.id, start, end });
    }
    const date = (f.date ?? '').trim();
    const keep = { change: { date, slots: typed } };
    const r = await changeEvent(db, actor(c), { eventId: id, ...(date !== '' && date !== event.eventDate ? { date } : {}), ...(slots.length > 0 ? { slots } : {}) }, serviceOpts(deps));
    if (!r.ok) return { refused: r.reason === 'invalid_input' && r.detail === 'nothing_to_change' ? 'nothing_to_change' : r.reason, keep };
    return { redirect: `done=changed&notified=${r.notifiedHouseholds}` };
  });

  action('cancel', async (c, id, f) => {
    const reason = f.reason ?? '';
    if (!confirmed(f)) {
      // The reason is checked first, so the confirmation never carries one the service would refuse.
      if (reason.trim().replace(/\s+/g, ' ').length < 3) return { refused: 'cancel_reason', keep: { cancelReason: reason } };
      const p = await cancelPreview(db, actor(c), id, serviceOpts(deps));
      if (!p.ok) return { refused: p.reason, keep: { cancelReason: reason } };
      return { confirm: { cancelReason: reason, confirm: { kind: 'cancel', reason, ...p.preview } } };
    }
    const r = await cancelEvent(db, actor(c), { eventId: id, reason }, serviceOpts(deps));
    if (!r.ok) return { refused: r.reason === 'invalid_input' ? 'cancel_reason' : r.reason, keep: { cancelReason: reason } };
    return { redirect: `done=cancelled&cancelled=${r.cancelledInvitations}&notified=${r.notifiedHouseholds}` };
  });

  action('close', async (c, id, f) => {
    if (!confirmed(f)) {
      const p = await closePreview(db, actor(c), id, serviceOpts(deps));
      if (!p.ok) return { refused: p.detail === 'before_event_date' ? 'before_event_date' : p.reason };
      return { confirm: { confirm: { kind: 'close', ...p.preview } } };
    }
    const r = await closeEvent(db, actor(c), id, serviceOpts(deps));
    if (!r.ok) return { refused: r.detail === 'before_event_date' ? 'before_event_date' : r.reason };
    return { redirect: `done=closed&noShows=${r.noShows}` };
  });

  action('next-round', async (c, id, f) => {
    const to = parseId(f.to);
    if (to === null) return { refused: 'invalid_input' };
    if (!confirmed(f)) {
      const p = await nextRoundPreview(db, actor(c), { fromEventId: id, toEventId: to });
      if (!p.ok) return { refused: p.reason === 'not_found' ? 'target_not_found' : p.detail ? `round_${p.detail}` : p.reason };
      return { confirm: { confirm: { kind: 'next_round', to, targetTitle: p.preview.targetTitle, targetDate: p.preview.targetDate, invite: p.preview.invite, atMaxRound: p.preview.atMaxRound } } };
    }
    const r = await nextRound(db, actor(c), { fromEventId: id, toEventId: to }, serviceOpts(deps));
    if (!r.ok) return { refused: r.reason === 'not_found' ? 'target_not_found' : r.detail ? `round_${r.detail}` : r.reason };
    const full = r.notInvited.filter((n) => n.reason === 'no_capacity').length;
    return { redirect: `done=next_round&invited=${r.invited}&withoutChat=${r.withoutChat}&full=${full}&atMax=${r.atMaxRound}&chat=${r.reach.chat}&whatsapp=${r.reach.whatsapp}&paper=${r.reach.paper}` };
  });
}

/** "&lastDay=2026-12-20" when Meta's daily limit spreads the round beyond today (the office's calendar day). */
function lastDayParam(lastOpeningAt: Date | null, invited: number, deps: AppDeps): string {
  if (!lastOpeningAt || invited === 0) return '';
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: deps.timeZone }).format(d);
  return day(lastOpeningAt) === day(deps.clock()) ? '' : `&lastDay=${day(lastOpeningAt)}`;
}
