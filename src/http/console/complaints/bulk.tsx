import { Hono } from 'hono';
import { COMPLAINT_CLOSE_REASONS, type ComplaintCloseReason } from '../../../domain/vocabulary.ts';
import { requirePermission } from '../../../services/access.ts';
import { bulkAssign, bulkDismiss, visibleTrackingIds } from '../../../services/complaints/triage.ts';
import { officersInScope } from '../../../services/staff/officers.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { requireCsrf, requireStaff, type ConsoleEnv } from '../shell/session.ts';
import { BulkConfirmPage, type BulkOp } from './views/bulk-confirm.tsx';

// Many complaints at once: assign them to one officer, or close them as duplicates or spam. The first post shows
// what would happen, with the count; only the second, carrying confirm=1, changes anything. Each complaint is
// its own change through the services (scope, status), so one refusal never undoes the others.

const OPS: readonly BulkOp[] = ['assign', ...COMPLAINT_CLOSE_REASONS];

export function bulkRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  app.use('/console/complaints/bulk', errorAnswers({ forbidden: (c) => c.text('', 403) }));

  app.post('/console/complaints/bulk', guard, csrf, async (c) => {
    const session = c.get('session');
    const actor = session.actor;
    requirePermission(actor, 'complaints.assign');
    const t = deps.i18n.getFixedT(c.get('locale'));
    const form = await c.req.parseBody({ all: true });
    const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
    const ids = list(form['id']).filter((x) => /^[1-9]\d{0,14}$/.test(x)).map(Number);
    const op = OPS.find((o) => o === form['op']) ?? 'assign';
    const note = (typeof form['note'] === 'string' ? form['note'] : '').trim().slice(0, 500);
    const officerRaw = typeof form['officer'] === 'string' ? form['officer'] : '';
    const officers = await officersInScope(db, actor);
    const officer = op === 'assign' ? (officers.find((o) => String(o.id) === officerRaw) ?? null) : null;
    const visible = await visibleTrackingIds(db, actor, ids);
    const page = (error?: 'note_required' | 'none_selected') =>
      c.html(
        <BulkConfirmPage
          t={t}
          locale={c.get('locale')}
          session={session}
          op={op}
          ids={visible.map((v) => v.id)}
          trackingIds={visible.map((v) => v.trackingId)}
          officerName={officer?.name ?? null}
          officerId={officer?.id ?? null}
          note={note}
          {...(error ? { error } : {})}
        />,
        error ? 422 : 200,
      );
    if (visible.length === 0 || (op === 'assign' && !officer)) return page('none_selected');
    if (op !== 'assign' && note === '') return page('note_required');
    if (form['confirm'] !== '1') return page();

    const when = { now: deps.clock(), timeZone: deps.timeZone };
    const ok = visible.map((v) => v.id);
    const outcome = op === 'assign' ? await bulkAssign(db, actor, ok, officer!.id, when) : await bulkDismiss(db, actor, ok, { reason: op as ComplaintCloseReason, note, ...when });
    const refused = Object.values(outcome.refused).reduce<number>((a, b) => a + (b ?? 0), 0);
    return c.redirect(`/console/complaints?queue=all&bulk_done=${outcome.done}&bulk_refused=${refused}`, 303);
  });

  return app;
}
