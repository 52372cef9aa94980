// Which WhatsApp templates an event's invitations and reminders go out with on the Cloud API, when a family's
// chat has no open 24-hour window (or never wrote). None chosen: the setting's template of the kind
// (WHATSAPP_CLOUD_TEMPLATE_INVITATION / _REMINDER). A chosen one must pass checkTemplate for its purpose, so a
// template Meta would refuse is refused here, while staff can still pick another, not on the day of sending.

import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { distributionEvents } from '../../db/schema/index.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { checkTemplate, type TemplateRefusal } from '../outreach/templates.ts';
import { canManage, eventInScope, type DistributionRefusal } from './common.ts';

export interface EventTemplateChoice {
  /** A template name; null or '' for the setting's default. */
  invitationTemplate: string | null;
  reminderTemplate: string | null;
}

export type EventTemplatesOutcome =
  | { ok: true; invitationTemplate: string | null; reminderTemplate: string | null }
  | { ok: false; reason: DistributionRefusal | TemplateRefusal; purpose?: 'invitation' | 'reminder' };

const MAX_NAME = 512;

export async function chooseEventTemplates(
  db: Db,
  actor: Actor,
  eventId: number,
  choice: EventTemplateChoice,
  /** language: WHATSAPP_CLOUD_TEMPLATE_LANGUAGE, the language every template is sent in. */
  opts: { language: string },
): Promise<EventTemplatesOutcome> {
  canManage(actor);
  const invitationTemplate = chosen(choice.invitationTemplate);
  const reminderTemplate = chosen(choice.reminderTemplate);
  if (invitationTemplate === undefined || reminderTemplate === undefined) return { ok: false, reason: 'invalid_input' };
  return db.transaction(async (tx) => {
    const event = await eventInScope(tx, actor, eventId, true);
    if (!event) return { ok: false, reason: 'not_found' };
    // A finished or cancelled event sends nothing more; choosing for it would only mislead.
    if (event.status === 'cancelled' || event.status === 'done') return { ok: false, reason: 'invalid_status' };
    for (const [purpose, name] of [['invitation', invitationTemplate], ['reminder', reminderTemplate]] as const) {
      if (name === null) continue;
      const check = await checkTemplate(tx, { name, language: opts.language, purpose });
      if (!check.ok) return { ok: false, reason: check.reason, purpose };
    }
    await tx.update(distributionEvents).set({ invitationTemplate, reminderTemplate }).where(eq(distributionEvents.id, event.id));
    await audit(tx, actor, {
      action: 'distribution.event.templates',
      entity: 'distribution_event',
      entityId: event.id,
      details: { invitationTemplate, reminderTemplate, language: opts.language, before: `${event.invitationTemplate ?? '-'} / ${event.reminderTemplate ?? '-'}` },
    });
    return { ok: true, invitationTemplate, reminderTemplate };
  });
}

/** The typed name: null for the default, undefined when it cannot be a template name. */
function chosen(raw: string | null | undefined): string | null | undefined {
  const name = (raw ?? '').trim();
  if (name === '') return null;
  return name.length <= MAX_NAME && !/[\u0000-\u001f]/.test(name) ? name : undefined;
}
