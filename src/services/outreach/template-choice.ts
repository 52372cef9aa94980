import type { Db } from '../../db/client.ts';
import type { OutreachEnv } from './env.ts';
import type { Reach } from './recipients.ts';
import { checkTemplate, type TemplatePurpose, type TemplateRefusal } from './templates.ts';

// The template a fan-out goes with on the WhatsApp Cloud API: the one the event chose, else the setting's.
// Checked before anything is queued when the fan-out writes first to a registry phone, which only an approved
// template with the right parameters (and a way to stop) can do: refused as a whole with the reason, so staff
// fix the template or choose another instead of finding a day's invitations failed at Meta.

export type TemplateChoice = { ok: true; template?: ChosenTemplate } | { ok: false; reason: TemplateRefusal; name: string };

export interface ChosenTemplate {
  name: string;
  language: string;
  /** Its QUICK_REPLY buttons: they answer with the message's first options (an invitation's "Hadir"…). */
  quickReplies?: number;
}

export async function templateFor(db: Db, env: OutreachEnv | undefined, purpose: Extract<TemplatePurpose, 'invitation' | 'reminder' | 'notice'>, chosen: string | null | undefined, reach: Reach): Promise<TemplateChoice> {
  const cloud = env?.phoneChannel === 'whatsapp_cloud' ? env.cloud : undefined;
  if (!cloud) return { ok: true };
  const template = { name: chosen || cloud.templates[purpose], language: cloud.templateLanguage };
  const writesFirst = [...reach.recipients.values()].some((list) => list.some((r) => r.path === 'whatsapp'));
  if (!writesFirst) return { ok: true, template };
  const r = await checkTemplate(db, { ...template, purpose });
  return r.ok ? { ok: true, template: { ...template, quickReplies: quickRepliesOf(r.template.components) } } : { ok: false, reason: r.reason, name: template.name };
}

function quickRepliesOf(components: unknown[] | null): number {
  const buttons = ((components ?? []) as { type?: unknown; buttons?: unknown }[]).find((c) => String(c?.type ?? '').toUpperCase() === 'BUTTONS')?.buttons;
  return Array.isArray(buttons) ? buttons.filter((b) => String((b as { type?: unknown })?.type ?? '').toUpperCase() === 'QUICK_REPLY').length : 0;
}
