import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { hasIdNumber } from '../domain/mask.ts';

// A session keeps a flow's answers between questions: the identity check holds the NIK and the KK number until
// the birth date comes (and the NIK after "not found", for a report), a complaint holds the NIK it will file.
// None of that may lie readable in the sessions table (UU 27/2022; DESIGN.md "Privacy and security").
//
// What is sealed is chosen by shape, not by a list of field names: every string in the session data that holds
// a 16-digit NIK or KK number, wherever a flow put it. A flow added next year that keeps a NIK is covered without
// anyone remembering this file. Sealing is AES-256-GCM with the chat's contact id as associated data, so a
// sealed value copied into another chat's session does not open there. A value that does not open (another key,
// another chat, a damaged row) is dropped: the flow finds the answer missing and asks again, as it does when a
// session expires.
//
// The key is 32 random bytes made once and kept in the database (session_keys, conversation/session-key.ts),
// not a setting. What sealing protects is the sessions table read on its own: a console or SQL export, a
// support dump of one table, a replica or report that copies tables, an eye on a row while debugging. Someone
// holding the whole database holds the registry itself, NIKs in clear (they must be looked up by value), so a
// key kept outside would add an operator's secret to lose and rotate without protecting more. The values live
// at most a day and a half (30 minutes of a session, then the purge a day after it expires): losing the key
// costs a resident one question asked again. To change it, delete the row and restart every process.

const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A copy of a session's data with every NIK-bearing string sealed. */
export function sealData(data: Record<string, unknown>, key: Buffer, contactId: number): Record<string, unknown> {
  return walk(data, (s) => (hasIdNumber(s) || s.startsWith(PREFIX) ? seal(s, key, contactId) : s)) as Record<string, unknown>;
}

/** A copy of a session's data with sealed strings opened; those that do not open are left out. */
export function unsealData(data: Record<string, unknown>, key: Buffer, contactId: number): Record<string, unknown> {
  return walk(data, (s) => (s.startsWith(PREFIX) ? unseal(s, key, contactId) : s)) as Record<string, unknown>;
}

function seal(value: string, key: Buffer, contactId: number): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(contactId));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function unseal(sealed: string, key: Buffer, contactId: number): string | undefined {
  try {
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad(contactId));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

const aad = (contactId: number) => Buffer.from(`contact:${contactId}`);

/** Maps every string of a JSON value; a string mapped to undefined is left out of its object or array. */
function walk(value: unknown, f: (s: string) => string | undefined): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, f)).filter((v) => v !== undefined);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const w = walk(v, f);
      if (w !== undefined) out[k] = w;
    }
    return out;
  }
  return value;
}
