import { Hono } from 'hono';
import { audit } from '../../../services/audit.ts';
import { listTemplates, mayUseTemplates } from '../../../services/outreach/templates.ts';
import type { AppDeps } from '../../context.ts';
import { errorAnswers } from '../../errors.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { TemplatesForbiddenPage, TemplatesPage } from './views/page.tsx';

// /console/templates: the office's WhatsApp templates as Meta last reported them, and "Sinkronkan sekarang".
// Whoever manages distributions or broadcasts chooses templates, so they read this page and may sync it.
// deps.templates is read per request: it is absent when the Cloud API is off, and the page says so.

export function templateRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);
  const tOf = (c: ConsoleContext) => deps.i18n.getFixedT(c.get('locale'));
  const forbidden = (c: ConsoleContext) => c.html(<TemplatesForbiddenPage t={tOf(c)} locale={c.get('locale')} session={c.get('session')} />, 403);
  app.use('/console/templates', errorAnswers<ConsoleEnv>({ forbidden }));
  app.use('/console/templates/*', errorAnswers<ConsoleEnv>({ forbidden }));

  app.get('/console/templates', guard, async (c) => {
    const actor = c.get('session').actor;
    if (!mayUseTemplates(actor)) return forbidden(c);
    const { templates, syncedAt } = await listTemplates(db, actor);
    const sync = deps.templates;
    return c.html(
      <TemplatesPage
        t={tOf(c)}
        locale={c.get('locale')}
        timeZone={deps.timeZone}
        session={c.get('session')}
        templates={templates}
        storedAt={syncedAt}
        settings={sync ? { language: sync.language, defaults: sync.defaults, canSync: sync.canSync } : undefined}
        last={sync?.last()}
        justSynced={c.req.query('done') === 'synced'}
      />,
    );
  });

  app.post('/console/templates/sync', guard, csrf, async (c) => {
    const actor = c.get('session').actor;
    if (!mayUseTemplates(actor)) return forbidden(c);
    if (!deps.templates?.canSync) return c.redirect('/console/templates', 303);
    const r = await deps.templates.sync();
    await audit(db, actor, {
      action: 'whatsapp.templates.sync',
      entity: 'whatsapp_templates',
      details: r.ok ? { ok: true, saved: r.saved, deleted: r.deleted, skipped: r.skipped } : { ok: false },
    });
    return c.redirect('/console/templates?done=synced', 303);
  });

  return app;
}
