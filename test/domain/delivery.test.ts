import { describe, expect, it } from 'vitest';
import { failureKindOf } from '../../src/domain/delivery.ts';

// The reasons the channels write into outbox.last_error, sorted into the kinds staff read.

describe('failureKindOf', () => {
  it.each([
    ['not_on_whatsapp', 'not_on_whatsapp'],
    ['not_on_whatsapp (No LID for user)', 'not_on_whatsapp'],
    ['recipient_unreachable (code 131026: Message undeliverable)', 'recipient_unreachable'],
    ['recipient_unreachable (invalid WhatsApp id: wid error)', 'recipient_unreachable'],
    ['contact_unreachable', 'recipient_unreachable'],
    ['outside_24h_window', 'outside_24h_window'],
    ['whatsapp_error (code 132001: Template name does not exist in the translation)', 'template'],
    ['delivery_failed (code 132015: Template is paused)', 'template'],
    ['empty_message: a code template without its code', 'template'],
    ['contact_stopped', 'contact_stopped'],
    ['access_token_invalid: the WhatsApp Cloud access token was refused', 'access_token'],
    ['interrupted: the process stopped while sending; delivery unknown, not sent again', 'interrupted'],
    ['gave up after 8 attempts: whatsapp_web_not_ready', 'gave_up'],
    ['delivery_failed (WhatsApp Web reported an error for this message)', 'delivery_failed'],
    ['whatsapp_error (code 131051: Unsupported message type)', 'delivery_failed'],
    ['partly_sent: 1 of 2 parts went out, then recipient_unreachable (code 131026: x)', 'recipient_unreachable'],
    ['something new', 'other'],
  ] as const)('%s → %s', (error, kind) => {
    expect(failureKindOf(error)).toBe(kind);
  });

  it('reads a skipped row as stopped, and a failure without a text as other', () => {
    expect(failureKindOf(null, 'skipped')).toBe('contact_stopped');
    expect(failureKindOf(null)).toBe('other');
  });
});
