import type { Actor } from '../../../services/actor.ts';
import { DELETED, listTemplates, mayUseTemplates } from '../../../services/outreach/templates.ts';
import type { AppDeps } from '../../context.ts';
import type { EventTemplatesView } from './views/templates.tsx';

// What the event page's "Template WhatsApp" card shows (views/templates.tsx): the synced templates of the
// configured language with their status, the event's choice and the settings' defaults. Its POST is templates.tsx.

/** What the card needs, or undefined when it has no place: the Cloud API is off, or the person may not choose. */
export async function eventTemplatesView(
  deps: AppDeps,
  actor: Actor,
  event: { invitationTemplate: string | null; reminderTemplate: string | null },
): Promise<EventTemplatesView | undefined> {
  const sync = deps.templates;
  if (!sync || !mayUseTemplates(actor)) return undefined;
  const { templates } = await listTemplates(deps.database.db, actor);
  return {
    language: sync.language,
    defaults: { invitation: sync.defaults.invitation, reminder: sync.defaults.reminder },
    templates: templates.filter((x) => x.language === sync.language && x.status !== DELETED).map((x) => ({ name: x.name, status: x.status })),
    invitationTemplate: event.invitationTemplate,
    reminderTemplate: event.reminderTemplate,
  };
}
