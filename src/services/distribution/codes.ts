// Fresh invitation codes for a batch. Uniqueness against the database is the unique index's job: the
// insert skips a colliding code and the caller retries those rows with new ones (at 23^7 codes, rare).

import { generateInvitationCode } from '../../domain/invitation-code.ts';

/** `n` codes, distinct from each other and from `avoid`. */
export function freshCodes(n: number, avoid: ReadonlySet<string> = new Set()): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const code = generateInvitationCode();
    if (seen.has(code) || avoid.has(code)) continue;
    seen.add(code);
    out.push(code);
  }
  return out;
}
