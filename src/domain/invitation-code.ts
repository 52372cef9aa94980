// Invitation codes: read aloud over a phone, copied from a screenshot, typed by a field officer at the
// site. One written form wherever a person reads one — the chat, the invitation, reminders, the kuasa
// notice, the check-in page, paper lists: two groups of four, "K7MQ-4XRT" (formatInvitationCode). The
// database and the QR hold the canonical form without the dash (normalizeInvitationCode), and everything a
// person types is normalised the same way before it is looked up, so "k7mq 4xrt" and "K7MQ4XRT" both find it.
//
// The alphabet: 3 4 6 7 9 A C D E F G H J K M N P Q R T W X Y (23 characters). Left out, because each is
// mistaken for another when spoken, handwritten or read off a small screen: 0 and O, 1, I and L, 2 and Z,
// 5 and S, 8 and B, U and V. The last character is a check, so a single wrong character or two swapped
// characters are caught before the database is asked.
//
// Codes stored before this alphabet (the demo seed once wrote six characters from 2-9 and A-Z without I, L,
// O, so "85BJV5" exists in old databases) are never rewritten: lookups compare normalised text, not
// alphabet membership, so they are still found, and they are shown as they are (they have no 4+4 form).

import { randomInt } from 'node:crypto';

/** 23 characters: a prime count makes the weighted check below catch every swap, not only adjacent ones. */
export const CODE_ALPHABET = '34679ACDEFGHJKMNPQRTWXY';
/** Random characters before the check character: 23^7 ≈ 3.4 billion codes. */
export const CODE_BODY_LENGTH = 7;
export const CODE_LENGTH = CODE_BODY_LENGTH + 1;

const N = CODE_ALPHABET.length;
const INDEX = new Map([...CODE_ALPHABET].map((c, i) => [c, i] as const));

/**
 * Σ (i+1)·value(c_i) mod 23, over the body. Weights 1..7 are distinct and non-zero modulo the prime 23, so
 * changing one character, or exchanging any two different ones, always changes the sum.
 */
export function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const v = INDEX.get(body[i]!);
    if (v === undefined) throw new RangeError('character outside the code alphabet');
    sum += (i + 1) * v;
  }
  return CODE_ALPHABET[sum % N]!;
}

/** A fresh random code (crypto random), canonical form: eight characters, no dash. */
export function generateInvitationCode(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < CODE_BODY_LENGTH; i++) body += CODE_ALPHABET[random(N)]!;
  return body + checkCharacter(body);
}

/** What a person typed, in canonical form: upper case, without spaces, dashes, dots or underscores. */
export function normalizeInvitationCode(text: string): string {
  return text.toUpperCase().replace(/[\s\-–—._]/g, '');
}

/** True for a well-formed code whose check character agrees (after normalising what was typed). */
export function isValidInvitationCode(text: string): boolean {
  const code = normalizeInvitationCode(text);
  if (code.length !== CODE_LENGTH) return false;
  for (const c of code) if (!INDEX.has(c)) return false;
  return checkCharacter(code.slice(0, CODE_BODY_LENGTH)) === code[CODE_BODY_LENGTH];
}

/** "K7MQ-4XRT": two groups of four are easier to read aloud and to type than eight in a row. */
export function formatInvitationCode(code: string): string {
  const c = normalizeInvitationCode(code);
  return c.length === CODE_LENGTH ? `${c.slice(0, 4)}-${c.slice(4)}` : c;
}
