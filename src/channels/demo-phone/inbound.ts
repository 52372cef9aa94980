import type { Inbound } from '../../conversation/types.ts';
import { phoneChatId } from '../../domain/phone.ts';

// A message written "as" a demo phone on its page, as the engine's Inbound: the same shape a WhatsApp message
// from that number has (the chat id is the number), so the engine keeps the number as the chat's phone and
// the registry-phone proof works exactly as it does for a real sender.

/** What a demo phone's page may send: its form is one text field. */
export const MAX_DEMO_TEXT = 4_000;
// The form's own id for this one message: a double submit (or a browser's resend) is answered once.
const FORM_ID = /^[A-Za-z0-9-]{8,64}$/;

export function demoPhoneInbound(phone: string, text: string, formId?: string): Inbound {
  const chatId = phoneChatId('demo_phone', phone);
  return {
    channel: 'demo_phone',
    chatId,
    kind: 'text',
    text: text.slice(0, MAX_DEMO_TEXT),
    providerMessageId: formId && FORM_ID.test(formId) ? `${chatId}:${formId}` : undefined,
  };
}
