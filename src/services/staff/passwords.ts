import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { randomToken } from './secrets.ts';

// argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): about 30–60 ms on a small
// server, slow enough to make offline guessing expensive and fast enough for a login form.
const ARGON2ID = 2 as Algorithm; // Algorithm is a const enum; its values cannot be imported at run time
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 10;
// argon2 itself accepts anything; the cap only stops a megabyte "password" from being a cheap DoS.
export const MAX_PASSWORD_LENGTH = 256;

export function passwordProblem(password: string): 'too_short' | 'too_long' | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (password.length > MAX_PASSWORD_LENGTH) return 'too_long';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed hash in the database is a failed login, not a crash
  }
}

let dummy: Promise<string> | undefined;
/**
 * Verifies against a hash of a random secret, so that an unknown email, an inactive or a locked account
 * costs the same time as a wrong password and the answer cannot tell them apart.
 */
export async function burnVerify(password: string): Promise<void> {
  dummy ??= hashPassword(randomToken());
  await verifyPassword(await dummy, password);
}
