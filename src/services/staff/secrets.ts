import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

// Random secrets handed to a browser or another system, and how they are kept: only a SHA-256 of a
// 256-bit random token is stored, which is enough because such a token cannot be guessed (unlike a password,
// it needs no slow hash).

/** 32 random bytes, base64url: a session cookie, a CSRF token, the body of an API token. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Compares two secrets in constant time; hashing first hides the length of the expected one as well. */
export function secretsEqual(expected: string, submitted: string | null | undefined): boolean {
  if (typeof submitted !== 'string' || submitted.length === 0 || expected.length === 0) return false;
  return timingSafeEqual(createHash('sha256').update(expected).digest(), createHash('sha256').update(submitted).digest());
}

// No 0/O, 1/l/I: the password is read off a terminal and typed by hand once.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 20 characters from 57 symbols, about 116 bits: strong enough to hand out as a first password. */
export function generatePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
