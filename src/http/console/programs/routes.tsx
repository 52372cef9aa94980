import { Hono } from 'hono';
import { checkProgramInput, programInputFromForm, rulesOf, type ProgramInput, type ProgramProblem } from '../../../domain/program-input.ts';
import { can } from '../../../services/access.ts';
import { ruleImpact } from '../../../services/programs/impact.ts';
import { DECREE_MAX, LIST_NOTE_MAX, lockList, newVersion, openDraft, programLists, readList, type ListRefusal } from '../../../services/programs/lists.ts';
import { getProgram, inputOf, listPrograms, programCodes } from '../../../services/programs/read.ts';
import { createProgram, updateProgram } from '../../../services/programs/save.ts';
import { holdsFor, mayUsePrograms } from '../../../services/programs/scope.ts';
import { exportList, type SkFormat } from '../../../services/programs/sk.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { attachmentResponse } from '../shell/file-response.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { bidangChoicesFor, ProgramFormPage } from './views/form.tsx';
import { ProgramList } from './views/list.tsx';
import { ListsPage } from './views/lists.tsx';
import { RecipientsPage } from './views/recipients.tsx';
import { ProgramMessagePage, type Notice } from './views/shared.tsx';

// Programs in the console (issue 20): the list, a program's form with its impact preview, its recipient lists
// by period and version, one list with its lock and its SK downloads. Thin: services/programs checks the
// bidang (scope.ts) and audits; another bidang's program answers as missing (404), a role with neither
// permission 403.

const ID = /^[1-9]\d{0,9}$/;
const idOf = (raw: string | undefined) => (raw !== undefined && ID.test(raw) ? Number(raw) : null);

const EMPTY: ProgramInput = {
  code: '', name: '', nameEn: null, agency: '', bidang: null, funder: '', benefitType: 'cash', benefitAmount: null, benefitPeriod: 'month', unit: 'household',
  maxDesil: null, minAge: null, requiresDisability: false, excludedWith: [], maxAmount: null, activeFrom: null, activeUntil: null, targetPerYear: null,
  requirements: null, requirementsEn: null, schedule: null, scheduleEn: null,
};

export function programRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const now = () => deps.clock();
  const message = (c: ConsoleContext, key: 'forbidden' | 'notFound', status: 403 | 404) =>
    c.html(<ProgramMessagePage t={tOf(c)} locale={c.get('locale')} session={c.get('session')} text={tOf(c)(`programs:${key}`)} />, status);
  const forbidden = (c: ConsoleContext) => message(c, 'forbidden', 403);
  const notFound = (c: ConsoleContext) => message(c, 'notFound', 404);
  const may = (c: ConsoleContext) => mayUsePrograms(c.get('session').actor);
  const done = (c: ConsoleContext, keys: readonly string[]): Notice | undefined => {
    const d = c.req.query('done');
    return d && keys.includes(d) ? { kind: 'done', text: tOf(c)(`programs:done.${d}`) } : undefined;
  };

  // A Forbidden from a service (another bidang's program): answered as missing, like a program that is not there.
  app.use('/console/programs', errorAnswers<ConsoleEnv>({ forbidden: notFound }));
  app.use('/console/programs/*', errorAnswers<ConsoleEnv>({ forbidden: notFound }));

  app.get('/console/programs', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const actor = c.get('session').actor;
    const rows = await listPrograms(db, actor);
    const mayCreate = can(actor, 'programs.manage') && bidangChoicesFor(c.get('session')).length > 0;
    return c.html(<ProgramList t={tOf(c)} locale={c.get('locale')} session={c.get('session')} rows={rows} mayCreate={mayCreate} notice={done(c, ['created'])} />);
  });

  const form = async (c: ConsoleContext, programId: number | null, input: ProgramInput, problems: ProgramProblem[], extra: { impact?: Awaited<ReturnType<typeof ruleImpact>>; notice?: Notice | undefined } = {}, status: 200 | 422 = 200) => {
    const codes = (await programCodes(db)).filter((code) => code !== input.code);
    return c.html(
      <ProgramFormPage
        t={tOf(c)}
        locale={c.get('locale')}
        session={c.get('session')}
        programId={programId}
        input={input}
        otherCodes={codes}
        bidangChoices={bidangChoicesFor(c.get('session'))}
        problems={problems}
        impact={extra.impact ?? undefined}
        notice={extra.notice}
      />,
      status,
    );
  };

  app.get('/console/programs/new', guard, async (c) => {
    const session = c.get('session');
    if (!can(session.actor, 'programs.manage') || bidangChoicesFor(session).length === 0) return forbidden(c);
    return form(c, null, { ...EMPTY, bidang: session.actor.role === 'admin' ? null : session.actor.bidang }, []);
  });

  /** The posted form: previewed (impact counted, nothing saved) or saved; bad input shown with every problem. */
  const submit = async (c: ConsoleContext, programId: number | null) => {
    const actor = c.get('session').actor;
    const body = await c.req.parseBody({ all: true });
    const { input: parsed, problems: typing } = programInputFromForm(body as Record<string, string | string[]>);
    let input = parsed;
    if (programId !== null) {
      const p = await getProgram(db, actor, programId);
      if (!p || !holdsFor(actor, 'programs.manage', p.bidang)) return notFound(c);
      input = { ...parsed, code: p.code };
    }
    if (typing.length > 0) return form(c, programId, input, typing, {}, 422);
    if (body.intent === 'preview') {
      const problems = checkProgramInput(input, await programCodes(db));
      if (problems.length > 0) return form(c, programId, input, problems, {}, 422);
      const impact = await ruleImpact(db, actor, programId, { rules: rulesOf(input), activeFrom: input.activeFrom, activeUntil: input.activeUntil }, { now: now(), timeZone: deps.timeZone, code: input.code });
      if (!impact) return notFound(c);
      return form(c, programId, input, [], { impact });
    }
    const result = programId === null ? await createProgram(db, actor, input, { now: now() }) : await updateProgram(db, actor, programId, input, { now: now() });
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    if (!result.ok) return form(c, programId, input, result.problems, {}, 422);
    if (programId === null) return c.redirect(`/console/programs?done=created`, 303);
    return c.redirect(`/console/programs/${programId}?done=${result.changed.length > 0 ? 'updated' : 'unchanged'}`, 303);
  };

  app.post('/console/programs', guard, csrf, async (c) => {
    if (!can(c.get('session').actor, 'programs.manage')) return forbidden(c);
    return submit(c, null);
  });

  app.get('/console/programs/:id', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const id = idOf(c.req.param('id'));
    const p = id === null ? null : await getProgram(db, c.get('session').actor, id);
    if (!p || !holdsFor(c.get('session').actor, 'programs.manage', p.bidang)) return notFound(c);
    return form(c, p.id, inputOf(p), [], { notice: done(c, ['updated', 'unchanged']) });
  });

  app.post('/console/programs/:id', guard, csrf, async (c) => {
    if (!can(c.get('session').actor, 'programs.manage')) return forbidden(c);
    const id = idOf(c.req.param('id'));
    if (id === null) return notFound(c);
    return submit(c, id);
  });

  const refusal = (c: ConsoleContext, reason: ListRefusal): Notice => ({ kind: 'error', text: tOf(c)(`programs:refusals.${reason}`) });

  const listsPage = async (c: ConsoleContext, programId: number | null, notice?: Notice, status: 200 | 409 | 422 = 200) => {
    const found = programId === null ? null : await programLists(db, c.get('session').actor, programId);
    if (!found) return notFound(c);
    return c.html(<ListsPage t={tOf(c)} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} program={found.program} periods={found.periods} notice={notice} />, status);
  };

  app.get('/console/programs/:id/lists', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    return listsPage(c, idOf(c.req.param('id')));
  });

  app.post('/console/programs/:id/lists', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const id = idOf(c.req.param('id'));
    if (id === null) return notFound(c);
    const body = await c.req.parseBody();
    const period = typeof body.period === 'string' ? body.period.slice(0, 40) : '';
    const r = await openDraft(db, c.get('session').actor, id, period, { now: now() });
    if (!r.ok && r.reason === 'not_found') return notFound(c);
    if (!r.ok) return listsPage(c, id, refusal(c, r.reason), r.reason === 'invalid_period' ? 422 : 409);
    return c.redirect(`/console/programs/${id}/lists/${r.listId}?done=draft`, 303);
  });

  const listPage = async (c: ConsoleContext, draft: { decreeNumber: string; note: string }, notice?: Notice, status: 200 | 409 | 422 = 200) => {
    const programId = idOf(c.req.param('id'));
    const listId = idOf(c.req.param('listId'));
    const view = listId === null ? null : await readList(db, c.get('session').actor, listId, { now: now() });
    if (!view || view.program.id !== programId) return notFound(c);
    return c.html(<RecipientsPage t={tOf(c)} locale={c.get('locale')} timeZone={deps.timeZone} session={c.get('session')} view={view} draft={draft} notice={notice ?? done(c, ['draft', 'locked'])} />, status);
  };

  app.get('/console/programs/:id/lists/:listId', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    return listPage(c, { decreeNumber: '', note: '' });
  });

  app.post('/console/programs/:id/lists/:listId/lock', guard, csrf, async (c) => {
    if (!can(c.get('session').actor, 'recipients.approve')) return forbidden(c);
    const listId = idOf(c.req.param('listId'));
    if (listId === null) return notFound(c);
    const body = await c.req.parseBody();
    const field = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const draft = { decreeNumber: field('decreeNumber').slice(0, DECREE_MAX + 50), note: field('note').slice(0, LIST_NOTE_MAX + 100) };
    const r = await lockList(db, c.get('session').actor, listId, draft, { now: now() });
    if (!r.ok && r.reason === 'not_found') return notFound(c);
    if (!r.ok) return listPage(c, draft, refusal(c, r.reason), r.reason.startsWith('decree') || r.reason === 'note_too_long' ? 422 : 409);
    return c.redirect(`/console/programs/${c.req.param('id')}/lists/${listId}?done=locked`, 303);
  });

  app.post('/console/programs/:id/lists/:listId/version', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const listId = idOf(c.req.param('listId'));
    if (listId === null) return notFound(c);
    const r = await newVersion(db, c.get('session').actor, listId, { now: now() });
    if (!r.ok && r.reason === 'not_found') return notFound(c);
    if (!r.ok) return listPage(c, { decreeNumber: '', note: '' }, refusal(c, r.reason), 409);
    return c.redirect(`/console/programs/${c.req.param('id')}/lists/${r.listId}?done=draft`, 303);
  });

  for (const format of ['xlsx', 'pdf'] as const satisfies readonly SkFormat[]) {
    app.get(`/console/programs/:id/lists/:listId/sk.${format}`, guard, async (c) => {
      if (!may(c)) return forbidden(c);
      const listId = idOf(c.req.param('listId'));
      const locale = c.get('locale');
      const file = listId === null ? null : await exportList(db, c.get('session').actor, listId, format, { now: now(), timeZone: deps.timeZone, t: tOf(c), locale });
      if (!file) return notFound(c);
      return attachmentResponse(c, file);
    });
  }

  return app;
}
