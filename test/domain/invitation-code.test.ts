import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkCharacter,
  CODE_ALPHABET,
  CODE_LENGTH,
  formatInvitationCode,
  generateInvitationCode,
  isValidInvitationCode,
  normalizeInvitationCode,
} from '../../src/domain/invitation-code.ts';
import { invitationQr } from '../../src/messages/notices/distribution.ts';
import type { Actor } from '../../src/services/actor.ts';
import { lookupCode } from '../../src/services/distribution/checkin.ts';
import { distributionWorld, makeEvent, makeHousehold, makeInvitation, NOW, staff, type DistributionWorld } from '../services/distribution/fixtures.ts';

// Issue 17, item 9: one written form of an invitation code (XXXX-XXXX) from an alphabet without confusable
// characters, wherever it is read; lookups take what people type, and codes stored in older forms.

const CONFUSABLE = ['0', 'O', '1', 'I', 'L', '8', 'B', '5', 'S', '2', 'Z', 'U', 'V'];

describe('the code alphabet', () => {
  it('has none of the confusable characters and no repeats', () => {
    for (const c of CONFUSABLE) expect(CODE_ALPHABET).not.toContain(c);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
    expect(CODE_ALPHABET).toBe('34679ACDEFGHJKMNPQRTWXY');
  });

  it('makes codes of eight characters that format as XXXX-XXXX, with a check character', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateInvitationCode();
      expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{8}$/);
      expect(isValidInvitationCode(code)).toBe(true);
      expect(formatInvitationCode(code)).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}$/);
    }
  });

  it('draws from the random numbers it is given (the seed passes its own)', () => {
    const zeros = generateInvitationCode(() => 0);
    expect(zeros).toBe('3333333' + checkCharacter('3333333'));
    expect(zeros).toHaveLength(CODE_LENGTH);
  });
});

describe('what people type', () => {
  const code = 'EYA74GE' + checkCharacter('EYA74GE');
  it.each([
    [formatInvitationCode(code)],
    [code],
    [code.toLowerCase()],
    [`${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`],
    [` ${code.slice(0, 2)} ${code.slice(2, 4)} - ${code.slice(4)} `],
    [`${code.slice(0, 4)}–${code.slice(4)}`], // an en dash from a phone keyboard
    [`${code.slice(0, 4)}.${code.slice(4)}`],
  ])('normalises %j to the stored form', (typed) => {
    expect(normalizeInvitationCode(typed)).toBe(code);
    expect(isValidInvitationCode(typed)).toBe(true);
    expect(formatInvitationCode(typed)).toBe(`${code.slice(0, 4)}-${code.slice(4)}`);
  });

  it('keeps codes of an older form as they are: normalised, never reshaped or rejected by the alphabet', () => {
    // The demo seed once wrote six characters with 8/B, 5/S and V/U.
    expect(normalizeInvitationCode('85bjv5')).toBe('85BJV5');
    expect(formatInvitationCode('85bj v5')).toBe('85BJV5');
    expect(isValidInvitationCode('85BJV5')).toBe(false); // not a new code, but still found (below)
  });

  it('puts the canonical code in the QR, whichever form it is given in', () => {
    expect(invitationQr(formatInvitationCode(code))).toEqual({ qrCode: code });
    expect(invitationQr(code)).toEqual({ qrCode: code });
  });
});

describe('check-in lookup', () => {
  let w: DistributionWorld;
  let eventId: number;
  let slotId: number;
  let officer: Actor;
  beforeAll(async () => {
    w = await distributionWorld();
    const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 50 }] });
    eventId = ev.eventId;
    slotId = ev.slotIds[0]!;
    officer = await staff(w.db, 'field_officer', w.area.kecA);
  }, 120_000);
  afterAll(async () => {
    await w?.dispose();
  });

  async function stored(code: string): Promise<number> {
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: [] });
    return (await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId, code, status: 'invited' })).invitationId;
  }

  it('finds a new code however it is typed, and shows it as XXXX-XXXX', async () => {
    const code = generateInvitationCode();
    const id = await stored(code);
    for (const typed of [formatInvitationCode(code), code.toLowerCase(), `${code.slice(0, 4)} ${code.slice(4)}`.toLowerCase()]) {
      const r = await lookupCode(w.db, officer, { code: typed }, { now: NOW });
      expect(r.ok && r.lookup.invitationId).toBe(id);
    }
  });

  it.each([['85BJV5'], ['EYA74GEP'], ['ZZ2SU0OB']])('still finds a code stored before the alphabet (%s), typed loosely', async (old) => {
    const id = await stored(old);
    for (const typed of [old, old.toLowerCase(), `${old.slice(0, 3)}-${old.slice(3)}`, ` ${old.slice(0, 4)} ${old.slice(4)} `]) {
      const r = await lookupCode(w.db, officer, { code: typed }, { now: NOW });
      expect(r.ok && r.lookup.invitationId).toBe(id);
    }
  });

  it('does not find a code that is not stored', async () => {
    expect(await lookupCode(w.db, officer, { code: generateInvitationCode() }, { now: NOW })).toEqual({ ok: false, reason: 'unknown_code' });
  });
});
