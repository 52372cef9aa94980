import { Hono } from 'hono';
import { claimHandover, closeHandover, getHandover, handoverVersion, listHandovers, releaseHandover, replyInHandover, type HandoverView } from '../../../services/handover.ts';
import { workCounts } from '../../../services/inbox/counts.ts';
import { staffNames } from '../../../services/staff/users.ts';
import { workEvents } from '../inbox/routes.tsx';
import type { AppDeps } from '../../context.ts';
import { emptyNotFound, errorAnswers } from '../../errors.ts';
import { liveStream } from '../shell/live.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { DONE, HandoverLive, HandoverPage, type ShowOptions } from './views/conversation.tsx';
import { HandoverList } from './views/list.tsx';
import { HandoverMessagePage, type PageContext } from './views/page.tsx';

// Live handover: the chats where a resident asked for an officer, one conversation with a reply form and a
// button that hands the resident back to the bot. All through services/handover.ts, which checks the role
// and audits the read; forms post and redirect. The conversation updates itself while the page is open.

function parseId(raw: string): number | null {
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

export function handoverRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const pageOf = (c: ConsoleContext): PageContext => ({ t: deps.i18n.getFixedT(c.get('locale')), locale: c.get('locale'), timeZone: deps.timeZone, session: c.get('session') });

  const message = (c: ConsoleContext, kind: 'notFound' | 'forbidden', status: 403 | 404) => c.html(<HandoverMessagePage page={pageOf(c)} kind={kind} />, status);
  const notFound = (c: ConsoleContext) => message(c, 'notFound', 404);
  const forbidden = (c: ConsoleContext) => message(c, 'forbidden', 403);

  // The services' Forbidden, wherever a handover page meets it (errors.ts).
  app.use('/console/handovers/*', errorAnswers({ forbidden }));

  app.get('/console/handovers', guard, async (c) => {
    const actor = c.get('session').actor;
    const rows = await listHandovers(db, actor);
    const counts = await workCounts(db, actor);
    return c.html(<HandoverList page={pageOf(c)} rows={rows} counts={counts} closed={c.req.query('done') === 'close'} />);
  });

  // The list's stream: a chat that starts, is taken or gets a message; the menu's badge rides along.
  app.get('/console/handovers/events', guard, (c) => {
    const actor = c.get('session').actor;
    return liveStream(c, async () => JSON.stringify((await listHandovers(db, actor)).map((r) => [r.contactId, r.claimedBy?.id ?? 0, r.lastMessageAt?.getTime() ?? 0])), {
      pollMs: 1000,
      also: workEvents(deps, actor),
    });
  });

  /** Officers' names for the messages they wrote. */
  const namesFor = async (c: ConsoleContext, v: HandoverView) => {
    const names = await staffNames(db, [...new Set(v.messages.map((m) => m.staffId).filter((x): x is number => x !== null))]);
    const t = deps.i18n.getFixedT(c.get('locale'));
    return (id: number | null) => (id === null ? t('console:events.system') : (names.get(id) ?? `#${id}`));
  };

  const show = async (c: ConsoleContext, id: number, opts: ShowOptions = {}) => {
    const v = await getHandover(db, c.get('session').actor, id, { limit: 100, now: deps.clock() });
    if (!v) return notFound(c);
    return c.html(<HandoverPage page={pageOf(c)} view={v} opts={opts} staffName={await namesFor(c, v)} />, opts.error ? 422 : 200);
  };

  // The fragment a handover page swaps in when its stream says a message came or went.
  app.get('/console/handovers/:contactId/live', guard, errorAnswers(emptyNotFound), async (c) => {
    const id = parseId(c.req.param('contactId'));
    // A refresh of a page already open: not another read in the audit log.
    const view = id === null ? null : await getHandover(db, c.get('session').actor, id, { limit: 100, now: deps.clock(), audit: false });
    if (!view) return c.text('', 404);
    return c.html(<HandoverLive page={pageOf(c)} view={view} staffName={await namesFor(c, view)} />);
  });

  app.get('/console/handovers/:contactId/events', guard, async (c) => {
    const id = parseId(c.req.param('contactId'));
    if (id === null) return c.text('', 404);
    const actor = c.get('session').actor;
    return liveStream(c, () => handoverVersion(db, actor, id), { also: workEvents(deps, actor) });
  });

  app.get('/console/handovers/:contactId', guard, async (c) => {
    const id = parseId(c.req.param('contactId'));
    if (id === null) return notFound(c);
    const done = DONE.find((d) => d === c.req.query('done'));
    return show(c, id, done ? { done } : {});
  });

  app.post('/console/handovers/:contactId/reply', guard, csrf, async (c) => {
    const id = parseId(c.req.param('contactId'));
    if (id === null) return notFound(c);
    const text = (await formField(c, 'text')).slice(0, 10_000);
    const result = await replyInHandover(db, c.get('session').actor, id, { text, now: deps.clock(), i18n: deps.i18n });
    if (result.ok) return c.redirect(`/console/handovers/${id}?done=reply`, 303);
    if (result.reason === 'not_in_handover') return notFound(c);
    return show(c, id, { error: result.reason, draft: text });
  });

  for (const [name, run] of [
    ['claim', claimHandover],
    ['release', releaseHandover],
  ] as const) {
    app.post(`/console/handovers/:contactId/${name}`, guard, csrf, async (c) => {
      const id = parseId(c.req.param('contactId'));
      if (id === null) return notFound(c);
      const result = await run(db, c.get('session').actor, id, { now: deps.clock() });
      if (result.ok) return c.redirect(`/console/handovers/${id}?done=${name}`, 303);
      if (result.reason === 'not_in_handover') return notFound(c);
      return show(c, id, { error: result.reason });
    });
  }

  app.post('/console/handovers/:contactId/close', guard, csrf, async (c) => {
    const id = parseId(c.req.param('contactId'));
    if (id === null) return notFound(c);
    const result = await closeHandover(db, c.get('session').actor, id, { i18n: deps.i18n, now: deps.clock() });
    if (!result.ok) return notFound(c);
    // The conversation is no longer in the queue; back to the queue with the confirmation.
    return c.redirect('/console/handovers?done=close', 303);
  });

  return app;
}
