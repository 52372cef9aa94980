import type { OutboundMessage } from '../../messages/types.ts';
import type { Translator } from '../../i18n.ts';
import { pickLocale } from '../../i18n.ts';
import type { Locale } from '../../domain/vocabulary.ts';
import type { HouseholdRecipient } from './recipients.ts';
import type { ChosenTemplate } from './template-choice.ts';

// A bulk message as it goes to one recipient. To a number that never wrote to us, the office says who is
// writing, why, and how to stop ("balas BERHENTI") around the message itself; on the WhatsApp Cloud API the
// approved template says it (its text is Meta's to approve, README shows the texts), and the message carries
// the template the event chose. On the Cloud API a template to a closed window opens a new conversation,
// which Meta counts against the daily limit (quota.ts, outbox/claim.ts).

export interface Wrapped {
  message: OutboundMessage;
  opensConversation: boolean;
}

export function forRecipient(
  message: OutboundMessage,
  to: HouseholdRecipient,
  opts: { i18n: Translator; defaultLocale: Locale; template?: ChosenTemplate },
): Wrapped {
  let out = message;
  if (opts.template && out.template) out = { ...out, template: { ...out.template, ...opts.template } };
  if (to.path === 'whatsapp' && to.firstContact && to.channel !== 'whatsapp_cloud') {
    const t = opts.i18n.getFixedT(pickLocale(to.language, opts.defaultLocale), 'outreach');
    out = { ...out, text: `${t('first.intro')}\n\n${out.text}\n\n${t('first.stop')}` };
  }
  return { message: out, opensConversation: to.channel === 'whatsapp_cloud' && to.windowClosed };
}
