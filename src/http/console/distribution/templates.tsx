import { Hono } from 'hono';
import { chooseEventTemplates } from '../../../services/distribution/templates.ts';
import type { AppDeps } from '../../context.ts';
import { requireCsrf, requireStaff, type ConsoleEnv } from '../shell/session.ts';
import { eventPage } from './event.tsx';
import { forbidden, formFields, mayManage, notFound, parseId } from './shared.tsx';

// The POST of the event page's "Template WhatsApp" form (views/templates.tsx; what it shows is loaded by
// template-choice.ts): saved through chooseEventTemplates, a refusal shown with its reason on the event page.

export function eventTemplateRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const show = eventPage(deps);

  app.post('/console/distribution/:id/templates', requireStaff(deps), requireCsrf(deps), async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(deps, c);
    if (!deps.templates) return show(c, id, { error: 'not_configured' }, 422);
    const f = await formFields(c);
    const r = await chooseEventTemplates(
      deps.database.db,
      c.get('session').actor,
      id,
      { invitationTemplate: f.invitationTemplate ?? null, reminderTemplate: f.reminderTemplate ?? null },
      { language: deps.templates.language },
    );
    if (r.ok) return c.redirect(`/console/distribution/${id}?done=templates_saved#templates`, 303);
    if (r.reason === 'not_found') return notFound(deps, c);
    return show(c, id, { error: r.reason }, 422);
  });

  return app;
}
