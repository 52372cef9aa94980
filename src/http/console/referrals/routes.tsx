import { Hono } from 'hono';
import { addDays, todayIn } from '../../../domain/dates.ts';
import { activeAgencies } from '../../../services/referrals/agencies.ts';
import { createReferral } from '../../../services/referrals/create.ts';
import { caseToRefer, getReferral, listReferrals, parseFilter } from '../../../services/referrals/read.ts';
import { NOTE_MAX, type ReferralRefusal } from '../../../services/referrals/shared.ts';
import { mayRefer, type ReferralCase } from '../../../services/referrals/sources.ts';
import { setReferralStatus } from '../../../services/referrals/status.ts';
import type { ReferralSource } from '../../../domain/vocabulary.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { ReferralPage, type StatusDraft } from './views/detail.tsx';
import { ReferralList } from './views/list.tsx';
import { NewReferralPage, type ReferralDraft } from './views/new.tsx';
import { ReferralMessagePage, type Notice } from './views/shared.tsx';

// Referrals in the console (issue 19): the list at /console/referrals, the form at
// /console/referrals/new?source=complaint&id=N (a case's page links here), and one referral's page with its
// history and the status form. Thin: services/referrals checks who may refer what, and the scope; a case or a
// referral outside it is answered as missing (404), a role that may refer nothing with 403.

/** The due date the form suggests: a week from today, which staff change when the agency promises otherwise. */
const DEFAULT_DUE_DAYS = 7;

const ID = /^[1-9]\d{0,14}$/;
const idOf = (raw: string | undefined) => (raw !== undefined && ID.test(raw) ? Number(raw) : null);

export function referralRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const opts = () => ({ now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale });
  const message = (c: ConsoleContext, key: 'forbidden' | 'notFound', status: 403 | 404) =>
    c.html(<ReferralMessagePage t={tOf(c)} locale={c.get('locale')} session={c.get('session')} text={tOf(c)(`referrals:${key}`)} />, status);
  const forbidden = (c: ConsoleContext) => message(c, 'forbidden', 403);
  const notFound = (c: ConsoleContext) => message(c, 'notFound', 404);
  const refusal = (c: ConsoleContext, reason: ReferralRefusal): Notice => ({ kind: 'error', text: tOf(c)(`referrals:refusals.${reason}`, { max: NOTE_MAX }) });
  /** Someone who may refer nothing (a viewer) meets the 403 page before any lookup; the services check again. */
  const may = (c: ConsoleContext) => mayRefer(c.get('session').actor);

  // A Forbidden from deep in a service (an operator referring a field task): the same 403 page.
  app.use('/console/referrals', errorAnswers<ConsoleEnv>({ forbidden }));
  app.use('/console/referrals/*', errorAnswers<ConsoleEnv>({ forbidden }));

  app.get('/console/referrals', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const t = tOf(c);
    const actor = c.get('session').actor;
    const filter = parseFilter({ status: c.req.query('status'), agency: c.req.query('agency'), overdue: c.req.query('overdue') });
    const [rows, agencies] = await Promise.all([listReferrals(db, actor, filter, opts()), activeAgencies(db)]);
    const done = c.req.query('done');
    const notice: Notice | undefined = done === 'created' ? { kind: 'done', text: t('referrals:done.created') } : undefined;
    return c.html(<ReferralList t={t} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} rows={rows} filter={filter} agencies={agencies} notice={notice} />);
  });

  const newForm = async (c: ConsoleContext, source: ReferralCase, draft: ReferralDraft, notice?: Notice, status: 200 | 422 = 200) => {
    const today = todayIn(deps.timeZone, deps.clock());
    return c.html(<NewReferralPage t={tOf(c)} locale={c.get('locale')} session={c.get('session')} source={source} agencies={await activeAgencies(db)} draft={draft} today={today} notice={notice} />, status);
  };

  app.get('/console/referrals/new', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const id = idOf(c.req.query('id'));
    const source = id === null ? null : await caseToRefer(db, c.get('session').actor, c.req.query('source') ?? '', id);
    if (!source) return notFound(c);
    return newForm(c, source, { agencyId: c.req.query('agency') ?? '', dueOn: addDays(todayIn(deps.timeZone, deps.clock()), DEFAULT_DUE_DAYS), note: '' });
  });

  app.post('/console/referrals', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const actor = c.get('session').actor;
    const body = await c.req.parseBody();
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const id = idOf(field('id'));
    const source = id === null ? null : await caseToRefer(db, actor, field('source'), id);
    if (!source) return notFound(c);
    // Kept a little past the limit, so the refusal shows the note as typed and says it is too long.
    const draft: ReferralDraft = { agencyId: field('agency').slice(0, 20), dueOn: field('dueOn').slice(0, 20), note: field('note').slice(0, NOTE_MAX + 100) };
    const agencyId = idOf(draft.agencyId);
    if (agencyId === null) return newForm(c, source, draft, refusal(c, 'invalid_input'), 422);
    const result = await createReferral(db, actor, { sourceKind: source.kind as ReferralSource, sourceId: source.id, agencyId, dueOn: draft.dueOn, note: draft.note }, opts());
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    if (!result.ok) return newForm(c, source, draft, refusal(c, result.reason), 422);
    return c.redirect(`/console/referrals/${result.id}?done=${result.notified ? 'createdTold' : 'created'}`, 303);
  });

  const detail = async (c: ConsoleContext, id: number, draft: StatusDraft, notice?: Notice, status: 200 | 422 = 200) => {
    const referral = await getReferral(db, c.get('session').actor, id, opts());
    if (!referral) return notFound(c);
    return c.html(<ReferralPage t={tOf(c)} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} referral={referral} draft={draft} notice={notice} />, status);
  };

  app.get('/console/referrals/:id', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const id = idOf(c.req.param('id'));
    if (id === null) return notFound(c);
    const done = c.req.query('done');
    const shown = (['created', 'createdTold', 'status', 'statusTold'] as const).find((d) => d === done);
    return detail(c, id, { status: '', note: '' }, shown ? { kind: 'done', text: tOf(c)(`referrals:done.${shown}`) } : undefined);
  });

  app.post('/console/referrals/:id/status', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const id = idOf(c.req.param('id'));
    if (id === null) return notFound(c);
    const draft: StatusDraft = { status: (await formField(c, 'status')).slice(0, 20), note: (await formField(c, 'note')).slice(0, NOTE_MAX + 100) };
    const result = await setReferralStatus(db, c.get('session').actor, id, draft.status, draft.note, opts());
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    if (!result.ok) return detail(c, id, draft, refusal(c, result.reason), 422);
    return c.redirect(`/console/referrals/${id}?done=${result.notified ? 'statusTold' : 'status'}`, 303);
  });

  return app;
}
