import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { TFunction } from 'i18next';
import { todayIn } from '../../domain/dates.ts';
import { can } from '../../services/access.ts';
import { areasInScope } from '../../services/areas.ts';
import { checklistFor, getFieldTask, listMyTasks, MAX_PHOTO_BYTES, MAX_PHOTOS, recordVisit, type FieldTaskView, type VisitRefusal } from '../../services/field/index.ts';
import type { AppDeps } from '../context.ts';
import { errorAnswers } from '../errors.ts';
import { consoleLocale, requireCsrf, type ConsoleContext, type ConsoleEnv } from '../console/shell/session.ts';
import { Shell } from '../console/shell/layout.tsx';
import { requireFieldStaff } from './session.ts';
import { emptyTyped, readVisitForm, type TypedVisit } from './visit-form.ts';
import { FieldForbidden, TasksPage, type WorkNotice } from './views/tasks.tsx';
import { TaskPage } from './views/task.tsx';

// The field worker's phone pages (issue 19): their tasks and the visit form, at /field. Thin: services/field
// decides scope (their kelurahan, their own or unassigned tasks), every rule of a visit, and the audit; a task
// they may not see is a 404 like one that does not exist. The form works as a plain post; field.js adds the
// draft and the offline queue and then asks for JSON (Accept: application/json) instead of a page.

const SCRIPT = readFileSync(fileURLToPath(new URL('./scripts/field.js', import.meta.url)));
// The photos and the form around them: the boundaries, the CSRF token, a 2,000-character note.
const MAX_BODY = MAX_PHOTOS * MAX_PHOTO_BYTES + 256 * 1024;
const MB = Math.round(MAX_PHOTO_BYTES / (1024 * 1024));

/** A form's idempotency key, made once per form shown (the script keeps the one of its draft). */
const newClientKey = () => randomUUID().replace(/-/g, '');

function parseId(raw: string | undefined): number | null {
  return raw && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

const wantsJson = (c: ConsoleContext) => (c.req.header('accept') ?? '').includes('application/json');

export function refusalText(t: TFunction, reason: VisitRefusal | 'bad_request' | 'too_large'): string {
  return t(`field:refusals.${reason}`, { max: MAX_PHOTOS, mb: MB });
}

export function fieldRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireFieldStaff(deps);
  const csrf = requireCsrf(deps);
  const opts = () => ({ now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n });
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));

  for (const path of ['/field', '/field/*']) {
    app.use(path, consoleLocale());
    // The console's policy: our own script only, no inline script, nothing loaded from elsewhere.
    app.use(path, async (c, next) => {
      await next();
      if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data: blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    });
  }
  // Refused unread above the most a visit can carry (http/limits/body.ts); a refused visit is answered in
  // the page's words, and as JSON to the script, which keeps it as a draft.
  app.on('POST', '/field/*', bodyLimit({
    maxSize: MAX_BODY,
    onError: (c) => {
      const message = refusalText(deps.i18n.getFixedT(c.get('locale')), 'too_large');
      return (c.req.header('accept') ?? '').includes('application/json') ? c.json({ ok: false, reason: 'too_large', message }, 413) : c.text(message, 413);
    },
  }));
  app.use('/field/*', errorAnswers<ConsoleEnv>({ forbidden: (c) => c.html(<FieldForbidden t={tOf(c)} locale={c.get('locale')} session={c.get('session')} />, 403) }));

  app.get('/field/field.js', (c) =>
    c.body(new Uint8Array(SCRIPT), 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' }),
  );

  const mayWork = (c: ConsoleContext) => can(c.get('session').actor, 'field.work');
  const forbidden = (c: ConsoleContext) => c.html(<FieldForbidden t={tOf(c)} locale={c.get('locale')} session={c.get('session')} />, 403);
  const notFound = (c: ConsoleContext) => {
    const t = tOf(c);
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t('field:work.title')} session={c.get('session')} here="/field">
        <p>
          <a href="/field">{t('field:task.back')}</a>
        </p>
        <p class="error">{t('field:refusals.not_found')}</p>
      </Shell>,
      404,
    );
  };

  app.get('/field', guard, async (c) => {
    if (!mayWork(c)) return forbidden(c);
    const tasks = await listMyTasks(db, c.get('session').actor, opts());
    const done = c.req.query('done');
    const notice: WorkNotice | undefined = done === 'recorded' || done === 'recordedPending' ? done : undefined;
    return c.html(<TasksPage t={tOf(c)} locale={c.get('locale')} session={c.get('session')} tasks={tasks} notice={notice} />);
  });

  const taskPage = async (c: ConsoleContext, task: FieldTaskView, typed: TypedVisit, error?: string, status: 200 | 404 | 422 = 200) =>
    c.html(
      <TaskPage
        t={tOf(c)}
        locale={c.get('locale')}
        timeZone={deps.timeZone}
        session={c.get('session')}
        task={task}
        checklist={await checklistFor(db, task.kind)}
        areas={await areasInScope(db, { kecamatanId: null })}
        typed={typed}
        error={error}
        maxPhotos={MAX_PHOTOS}
        today={todayIn(deps.timeZone, deps.clock())}
      />,
      status,
    );

  app.get('/field/tasks/:id', guard, async (c) => {
    if (!mayWork(c)) return forbidden(c);
    const id = parseId(c.req.param('id'));
    const task = id === null ? undefined : await getFieldTask(db, c.get('session').actor, id, opts());
    if (!task) return notFound(c);
    return taskPage(c, task, emptyTyped(newClientKey()));
  });

  app.post('/field/tasks/:id/visits', guard, csrf, async (c) => {
    const t = tOf(c);
    const json = wantsJson(c);
    if (!mayWork(c)) return json ? c.json({ ok: false, reason: 'forbidden', message: t('field:work.forbidden') }, 403) : forbidden(c);
    const actor = c.get('session').actor;
    const id = parseId(c.req.param('id'));
    const task = id === null ? undefined : await getFieldTask(db, actor, id, opts());
    if (!task) return json ? c.json({ ok: false, reason: 'not_found', message: refusalText(t, 'not_found') }, 404) : notFound(c);

    // requireCsrf has already parsed the body when the token came in the form; Hono keeps it, it is read once.
    const read = await readVisitForm(await c.req.formData(), await checklistFor(db, task.kind), deps.clock());
    const result = read.ok ? await recordVisit(db, actor, task.id, read.input, opts()) : read;
    if (result.ok) {
      if (json) return c.json({ ok: true, visitId: result.visitId, duplicate: result.duplicate });
      return c.redirect(`/field?done=${result.review === 'pending' ? 'recordedPending' : 'recorded'}`, 303);
    }
    const message = refusalText(t, result.reason);
    const status = result.reason === 'not_found' ? 404 : 422;
    if (json) return c.json({ ok: false, reason: result.reason, message }, status);
    if (result.reason === 'not_found') return notFound(c);
    return taskPage(c, task, read.typed, message, status);
  });

  return app;
}
