import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** The `X-Hub-Signature-256` value Meta sends with a body: `sha256=` and the hex HMAC-SHA256 keyed by the app secret. */
export function signBody(rawBody: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * True only when `header` is the HMAC of exactly these bytes. The body must be the raw bytes as received: a
 * re-serialised JSON object would differ in spacing or escapes and never match. Compared in constant time.
 */
export function verifySignature(rawBody: Uint8Array | string, header: string | null | undefined, appSecret: string): boolean {
  if (!header) return false;
  const m = HEADER.exec(header.trim());
  if (!m) return false;
  const given = Buffer.from(m[1]!.toLowerCase(), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
