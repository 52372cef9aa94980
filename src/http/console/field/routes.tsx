import { checklistLabels } from '../../../services/field/index.ts';
import { Hono } from 'hono';
import { FIELD_TASK_STATUSES, type FieldTaskStatus } from '../../../domain/vocabulary.ts';
import { can } from '../../../services/access.ts';
import { areasInScope } from '../../../services/areas.ts';
import { assignFieldTask, fieldWorkersFor, getVisitPhoto, listFieldTasks, listPendingVisits, MAX_LIST, reviewVisit, workerSummary, type FieldTaskFilter } from '../../../services/field/index.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { fieldHandoverRoutes } from '../../field/session.ts';
import { formField, requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { DeskForbidden, DeskPage, type DeskNotice } from './views/desk.tsx';

// The supervisor's field desk at /console/field ('field.manage'): the load per worker, the visits waiting for
// a decision, and the task list with assignment. Thin: services/field checks scope (the supervisor's
// kecamatan), who may take a task, and what an approval changes in the registry; a photo the supervisor may
// not see is a 404 like one that does not exist.

const DONE = ['assigned', 'approved', 'rejected'] as const;
type Done = (typeof DONE)[number];

function parseId(raw: string | undefined): number | null {
  return raw && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

/** The list's filter from the address; anything unknown is no filter, never an error. */
function filterOf(q: (name: string) => string | undefined): FieldTaskFilter {
  const status = q('status');
  const worker = q('worker');
  const kelurahan = parseId(q('kelurahan'));
  const workerId = parseId(worker);
  return {
    ...((FIELD_TASK_STATUSES as readonly string[]).includes(status ?? '') ? { status: status as FieldTaskStatus } : {}),
    ...(worker === 'none' ? { assigneeId: 'none' as const } : workerId !== null ? { assigneeId: workerId } : {}),
    ...(kelurahan !== null ? { kelurahanId: kelurahan } : {}),
    ...(q('overdue') === '1' ? { overdue: true } : {}),
  };
}

/** The filter as the query string the page's forms carry back ("" or "?status=open&…"). */
function queryOf(f: FieldTaskFilter): string {
  const p = new URLSearchParams();
  if (f.status) p.set('status', f.status);
  if (f.assigneeId !== undefined) p.set('worker', String(f.assigneeId));
  if (f.kelurahanId !== undefined) p.set('kelurahan', String(f.kelurahanId));
  if (f.overdue) p.set('overdue', '1');
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Back to the same list after a change: only a query string of our own filter survives. */
function backTo(raw: string, done: Done): string {
  const f = filterOf((name) => new URLSearchParams(raw.startsWith('?') ? raw.slice(1) : '').get(name) ?? undefined);
  const q = queryOf(f);
  return `/console/field${q}${q ? '&' : '?'}done=${done}`;
}

export function fieldDeskRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const opts = () => ({ now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n });
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const may = (c: ConsoleContext) => can(c.get('session').actor, 'field.manage');
  const forbidden = (c: ConsoleContext) => c.html(<DeskForbidden t={tOf(c)} locale={c.get('locale')} session={c.get('session')} />, 403);

  // The phone's way into /field with this console session (http/field/session.ts).
  app.route('/', fieldHandoverRoutes(deps));

  const page = async (c: ConsoleContext, filter: FieldTaskFilter, notice?: DeskNotice, status: 200 | 422 = 200) => {
    const actor = c.get('session').actor;
    const [workers, pending, tasks, areas, labels] = await Promise.all([
      workerSummary(db, actor, opts()),
      listPendingVisits(db, actor, opts()),
      listFieldTasks(db, actor, filter, opts()),
      areasInScope(db, actor),
      checklistLabels(db),
    ]);
    const pickers = new Map<number, { id: number; name: string }[]>();
    for (const kel of new Set(tasks.filter((x) => x.status === 'open' || x.status === 'visited').map((x) => x.kelurahanId))) {
      pickers.set(kel, await fieldWorkersFor(db, actor, kel));
    }
    return c.html(
      <DeskPage
        t={tOf(c)}
        locale={c.get('locale')}
        timeZone={deps.timeZone}
        session={c.get('session')}
        workers={workers}
        pending={pending}
        tasks={tasks}
        truncated={tasks.length >= MAX_LIST}
        pickers={pickers}
        areas={areas}
        filter={filter}
        query={queryOf(filter)}
        notice={notice}
        labels={labels}
      />,
      status,
    );
  };

  app.get('/console/field', guard, async (c) => {
    if (!may(c)) return forbidden(c);
    const done = c.req.query('done');
    const notice = (DONE as readonly string[]).includes(done ?? '') ? { kind: 'done' as const, text: tOf(c)(`field:desk.done.${done as Done}`) } : undefined;
    return page(c, filterOf((n) => c.req.query(n)), notice);
  });

  app.post('/console/field/tasks/:id/assign', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const back = await formField(c, 'back');
    const filter = filterOf((name) => new URLSearchParams(back.startsWith('?') ? back.slice(1) : '').get(name) ?? undefined);
    const id = parseId(c.req.param('id'));
    const raw = await formField(c, 'assignee');
    const assignee = raw === '' ? null : parseId(raw);
    const result = id === null || (raw !== '' && assignee === null) ? ({ ok: false, reason: 'not_found' } as const) : await assignFieldTask(db, c.get('session').actor, id, assignee, opts());
    if (result.ok) return c.redirect(backTo(back, 'assigned'), 303);
    return page(c, filter, { kind: 'error', text: tOf(c)(`field:desk.assignRefusals.${result.reason}`) }, 422);
  });

  app.post('/console/field/visits/:id/review', guard, csrf, async (c) => {
    if (!may(c)) return forbidden(c);
    const back = await formField(c, 'back');
    const filter = filterOf((name) => new URLSearchParams(back.startsWith('?') ? back.slice(1) : '').get(name) ?? undefined);
    const id = parseId(c.req.param('id'));
    const decision = await formField(c, 'decision');
    const note = (await formField(c, 'note')).trim();
    if (id === null || (decision !== 'approve' && decision !== 'reject')) return page(c, filter, { kind: 'error', text: tOf(c)('field:desk.reviewRefusals.not_found') }, 422);
    const result = await reviewVisit(db, c.get('session').actor, id, decision, note === '' ? undefined : note, opts());
    if (result.ok) return c.redirect(backTo(back, decision === 'approve' ? 'approved' : 'rejected'), 303);
    return page(c, filter, { kind: 'error', text: tOf(c)(`field:desk.reviewRefusals.${result.reason}`) }, 422);
  });

  // A visit's photo for the one deciding it (or the worker who took it): never cached, never sniffed, shown
  // inline under a name of ours, and a policy that lets it do nothing but be shown.
  app.get('/console/field/visits/:id/attachments/:sha256', guard, errorAnswers<ConsoleEnv>({ forbidden: (c) => c.text('', 404) }), async (c) => {
    const id = parseId(c.req.param('id'));
    const sha = c.req.param('sha256');
    if (id === null || !/^[0-9a-f]{64}$/.test(sha)) return c.text('', 404);
    const photo = await getVisitPhoto(db, c.get('session').actor, id, sha);
    if (!photo) return c.text('', 404);
    const ext = photo.mimeType === 'image/png' ? 'png' : photo.mimeType === 'image/webp' ? 'webp' : 'jpg';
    return c.body(new Uint8Array(photo.bytes), 200, {
      'Content-Type': photo.mimeType,
      'Content-Length': String(photo.bytes.byteLength),
      'Content-Disposition': `inline; filename="kunjungan-${id}-${sha.slice(0, 12)}.${ext}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    });
  });

  return app;
}
