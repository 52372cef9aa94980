import type { SendResult } from '../outbox/sender.ts';

/**
 * Why a send did not go through, as a small fixed set. Senders' reasons are free text (provider
 * descriptions, error messages that may name a chat), which must never become a metric label: every
 * distinct value would be a new time series, and labels end up in monitoring tools outside the office.
 */
export const SEND_REASONS = [
  'none',
  'rate_limited',
  'unreachable',
  'outside_window',
  'not_ready',
  'auth',
  'server_error',
  'network',
  'max_attempts',
  'other',
] as const;
export type SendReason = (typeof SEND_REASONS)[number];

export type SendOutcome = 'sent' | 'retry' | 'failed';

// First match wins; the order puts the most specific causes first.
const PATTERNS: [SendReason, RegExp][] = [
  ['outside_window', /outside_24h_window/i],
  ['not_ready', /not_ready|not connected/i],
  ['auth', /access_token_invalid|\b401\b|unauthori[sz]ed/i],
  ['unreachable', /unreachable|not on whatsapp|invalid whatsapp id|blocked|chat not found|deactivated/i],
  ['rate_limited', /rate.?limit|\b429\b|too many requests/i],
  ['server_error', /server_error|\b5\d\d\b/i],
  ['network', /network|timeout|timed out|econn|enotfound|eai_again|fetch failed|socket/i],
];

/**
 * The outcome of one send as the outbox settles it: a retryable trouble on the last allowed attempt is a
 * failure (`exhausted`), labelled max_attempts rather than by its cause.
 */
export function classifySend(result: SendResult, exhausted: boolean): { result: SendOutcome; reason: SendReason } {
  if (result.status === 'sent') return { result: 'sent', reason: 'none' };
  if (result.status === 'retry' && exhausted) return { result: 'failed', reason: 'max_attempts' };
  if (result.status === 'failed' && result.unreachable) return { result: 'failed', reason: 'unreachable' };
  const match = PATTERNS.find(([, re]) => re.test(result.reason));
  return { result: result.status, reason: match ? match[0] : 'other' };
}
