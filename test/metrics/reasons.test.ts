import { describe, expect, it } from 'vitest';
import { NOT_READY } from '../../src/channels/whatsapp-web/sender.ts';
import { OUTSIDE_WINDOW, TOKEN_INVALID } from '../../src/channels/whatsapp-cloud/sender.ts';
import type { SendResult } from '../../src/outbox/sender.ts';
import { classifySend, SEND_REASONS } from '../../src/metrics/reasons.ts';

// Senders' reasons are free text; the metric label must be one of a few fixed words.

describe('classifySend', () => {
  it.each<[SendResult, boolean, string, string]>([
    [{ status: 'sent', providerMessageId: 'abc' }, false, 'sent', 'none'],
    [{ status: 'sent' }, true, 'sent', 'none'],
    [{ status: 'retry', reason: 'telegram 429: Too Many Requests: retry after 3' }, false, 'retry', 'rate_limited'],
    [{ status: 'retry', reason: 'rate_limited (130429: Rate limit hit)' }, false, 'retry', 'rate_limited'],
    [{ status: 'retry', reason: 'telegram 429: Too Many Requests' }, true, 'failed', 'max_attempts'],
    [{ status: 'retry', reason: NOT_READY }, false, 'retry', 'not_ready'],
    [{ status: 'retry', reason: 'server_error (131000: Something went wrong)' }, false, 'retry', 'server_error'],
    [{ status: 'retry', reason: 'telegram 502: Bad Gateway' }, false, 'retry', 'server_error'],
    [{ status: 'retry', reason: 'network: timeout' }, false, 'retry', 'network'],
    [{ status: 'retry', reason: 'connect ECONNREFUSED 10.0.0.1:443' }, false, 'retry', 'network'],
    [{ status: 'failed', reason: 'telegram 403: Forbidden: bot was blocked by the user', unreachable: true }, false, 'failed', 'unreachable'],
    [{ status: 'failed', reason: 'contact_unreachable', unreachable: false }, false, 'failed', 'unreachable'],
    [{ status: 'failed', reason: OUTSIDE_WINDOW, unreachable: false }, false, 'failed', 'outside_window'],
    [{ status: 'failed', reason: TOKEN_INVALID, unreachable: false }, false, 'failed', 'auth'],
    [{ status: 'failed', reason: 'telegram 400: Bad Request: message is too long', unreachable: false }, false, 'failed', 'other'],
  ])('%o (exhausted: %s) is %s / %s', (result, exhausted, outcome, reason) => {
    expect(classifySend(result, exhausted)).toEqual({ result: outcome, reason });
  });

  it('never passes free text through', () => {
    const odd: SendResult = { status: 'retry', reason: 'Budi Santoso 081234567890 said something odd' };
    expect(SEND_REASONS).toContain(classifySend(odd, false).reason);
  });
});
