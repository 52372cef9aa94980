import type { Channel } from '../domain/vocabulary.ts';
import type { OutboundMessage } from './types.ts';

// WhatsApp Cloud accepts free text only within 24 hours of the resident's last message; after that only an
// approved template reaches the number. Every notice that may go out later asks here.

export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

export function insideWindow(contact: { lastInboundAt: Date | null }, now: Date): boolean {
  return contact.lastInboundAt !== null && now.getTime() - contact.lastInboundAt.getTime() <= WHATSAPP_WINDOW_MS;
}

/** True when only a template reaches this chat now: a WhatsApp Cloud number whose window has closed. */
export function onlyTemplates(contact: { channel: Channel; lastInboundAt: Date | null }, now: Date): boolean {
  return contact.channel === 'whatsapp_cloud' && !insideWindow(contact, now);
}

/** The message as it must go to this chat now: with the notice template (and its parameters) once the window has closed. */
export function asNotice(message: OutboundMessage, contact: { channel: Channel; lastInboundAt: Date | null }, now: Date, params: string[]): OutboundMessage {
  if (!onlyTemplates(contact, now)) return message;
  return { ...message, template: { kind: 'notice', params } };
}
