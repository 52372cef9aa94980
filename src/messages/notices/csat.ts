import type { Channel, SatisfactionService } from '../../domain/vocabulary.ts';
import { loadResources, pickLocale } from '../../i18n.ts';
import { csatChoice } from '../choices.ts';
import type { OutboundMessage } from '../types.ts';
import { asNotice } from '../window.ts';

// The one 1–5 satisfaction question (IKM), after whichever service was given: its text names the service
// ("Bagaimana layanan cek bansos tadi?"). Read once from locales/, since it is asked from jobs and staff
// actions with no translator at hand.
type Texts = { csat: { question: Record<SatisfactionService, string>; options: Record<string, string> } };
let lifecycleTexts: Record<string, Texts> | undefined;

/**
 * The question in the contact's language, with the five options as buttons naming the asked row
 * (satisfaction.id), so a press days later rates this question and no other. `trackingId`: a complaint's.
 */
export function csatQuestion(
  contact: { language: string | null; channel: Channel; lastInboundAt: Date | null },
  asked: { satisfactionId: number; service: SatisfactionService; trackingId?: string },
  now: Date,
): OutboundMessage {
  if (!lifecycleTexts) {
    const resources = loadResources();
    lifecycleTexts = Object.fromEntries(Object.entries(resources).map(([lang, ns]) => [lang, ns.lifecycle as never]));
  }
  const lang = pickLocale(contact.language, 'id');
  const texts = (lifecycleTexts[lang] ?? lifecycleTexts.id)!.csat;
  const text = texts.question[asked.service].replaceAll('{{trackingId}}', asked.trackingId ?? '');
  const message: OutboundMessage = {
    text,
    options: [1, 2, 3, 4, 5].map((n) => ({ id: csatChoice(asked.satisfactionId, n), label: texts.options[String(n)]! })),
  };
  // Outside WhatsApp's 24 hours the notice template carries the whole question, as receipts and broadcasts do.
  return asNotice(message, contact, now, [text]);
}
