import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { auditLog, distributionEvents, invitations, members, outbox, proxies } from '../../../src/db/schema/index.ts';
import { maskName } from '../../../src/domain/mask.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { checkinCounts } from '../../../src/services/distribution/checkin-counts.ts';
import { checkIn, lookupCode, normalizeCheckinCode } from '../../../src/services/distribution/checkin.ts';
import {
  distributionWorld,
  makeEvent,
  makeHousehold,
  makeInvitation,
  makeSite,
  EVENT_DATE,
  onPostgres,
  staff,
  TZ,
  type ChatSpec,
  type DistributionWorld,
} from './fixtures.ts';

let w: DistributionWorld;
let eventId: number;
let slotA: number;
let otherEventId: number;
let officerA: Actor; // field officer of kecamatan A, where siteA is
let officerB: Actor; // field officer of kecamatan B
let cityOfficer: Actor;
// Check-in opens on the event's day (EVENT_DATE): 08:00 WIB that day.
const DAY = new Date(`${EVENT_DATE}T01:00:00Z`);
const opts = { now: DAY, timeZone: TZ };

beforeAll(async () => {
  w = await distributionWorld();
  const ev = await makeEvent(w.db, {
    programId: w.householdProgramId,
    slots: [
      { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 50 },
      { siteId: w.siteB, start: '10:00', end: '12:00', capacity: 50 },
    ],
  });
  eventId = ev.eventId;
  slotA = ev.slotIds[0]!;
  otherEventId = (await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '13:00', end: '15:00', capacity: 5 }] })).eventId;
  officerA = await staff(w.db, 'field_officer', w.area.kecA);
  officerB = await staff(w.db, 'field_officer', w.area.kecB);
  cityOfficer = await staff(w.db, 'field_officer');
});
afterAll(async () => {
  await w?.dispose();
});

async function invited(opts: { chats?: ChatSpec[]; status?: Parameters<typeof makeInvitation>[1]['status']; event?: number; slot?: number | null } = {}) {
  const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, chats: opts.chats ?? [{ language: 'id' }] });
  const inv = await makeInvitation(w.db, { eventId: opts.event ?? eventId, householdId: hh.householdId, slotId: opts.slot === undefined ? slotA : opts.slot, status: opts.status ?? 'confirmed' });
  return { ...hh, ...inv };
}

async function addProxy(invitationId: number, status: 'pending' | 'approved' | 'rejected') {
  const [p] = await w.db
    .insert(proxies)
    .values({ invitationId, name: 'Rahmat Hidayat', nik: '2171010101900003', relation: 'spouse', reason: 'at_sea', status })
    .returning({ id: proxies.id });
  return p!.id;
}

/** Everything a check-in may change: the invitation row, the outbox and the audit log. */
async function snapshot(invitationId: number) {
  const [inv] = await w.db.select().from(invitations).where(eq(invitations.id, invitationId));
  const queued = await w.db.select({ id: outbox.id }).from(outbox);
  const audits = await w.db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.entity, 'invitation'), eq(auditLog.entityId, String(invitationId))));
  return { inv, queued: queued.length, audits: audits.length };
}

async function receiptsOf(contactIds: number[]) {
  const rows = await w.db.select().from(outbox).orderBy(asc(outbox.id));
  // The rating question that follows a collection (services/satisfaction) is not a receipt.
  const rating = (payload: unknown) => ((payload as { options?: { id: string }[] }).options ?? []).some((o) => o.id.startsWith('csat:'));
  return rows.filter((r) => contactIds.includes(r.contactId) && !rating(r.payload));
}

describe('normalizeCheckinCode', () => {
  it('ignores case, spaces, dashes and a scanned link around the code', () => {
    expect(normalizeCheckinCode(' k7mq-4xrt ')).toBe('K7MQ4XRT');
    expect(normalizeCheckinCode('k7mq 4x.rt')).toBe('K7MQ4XRT');
    expect(normalizeCheckinCode('https://pintu.example/c/K7MQ-4XRT')).toBe('K7MQ4XRT');
    expect(normalizeCheckinCode('   ')).toBe('');
  });
});

describe('lookupCode', () => {
  it('shows the masked head, the area, the slot and the round, typed loosely, and is audited', async () => {
    const hh = await invited();
    const [head] = await w.db.select().from(members).where(eq(members.id, hh.memberIds[0]!));
    const typed = `${hh.code.slice(0, 3).toLowerCase()}-${hh.code.slice(3)} `;
    const r = await lookupCode(w.db, officerA, { code: typed, eventId }, { now: DAY, timeZone: TZ });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lookup).toMatchObject({
      invitationId: hh.invitationId,
      code: hh.code,
      eventId,
      status: 'confirmed',
      round: 1,
      headName: maskName(head!.name),
      // The birth date and the NIK's last four digits: what tells one KTP from another, never the NIK's
      // first six beside the birth date (together the whole number).
      headNik: `************${head!.nik.slice(12)}`,
      headBirthDate: head!.birthDate,
      kelurahan: 'Sungai Binti',
      proxy: null,
      proxyPending: false,
      collected: null,
      blocker: null,
    });
    expect(r.lookup.headName).not.toContain(head!.name.split(' ')[0]!.slice(1));
    expect(r.lookup.slot).toMatchObject({ slotId: slotA, siteId: w.siteA, siteName: 'Kantor Kelurahan Sungai Binti' });
    const audits = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'invitation.lookup'), eq(auditLog.entityId, String(hh.invitationId))));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0]!.details)).not.toContain(head!.nik);
  });

  it('shows the approved kuasa masked, and says when one is still pending', async () => {
    const hh = await invited();
    await addProxy(hh.invitationId, 'approved');
    const r = await lookupCode(w.db, officerA, { code: hh.code });
    expect(r.ok && r.lookup.proxy).toMatchObject({ name: maskName('Rahmat Hidayat'), nik: '217101******0003', relation: 'spouse', reason: 'at_sea' });
    const other = await invited();
    await addProxy(other.invitationId, 'pending');
    const p = await lookupCode(w.db, officerA, { code: other.code });
    expect(p.ok && [p.lookup.proxy, p.lookup.proxyPending]).toEqual([null, true]);
  });

  it('refuses unknown codes, codes of another event, out-of-scope sites and roles without check-in', async () => {
    const hh = await invited();
    expect(await lookupCode(w.db, officerA, { code: 'ZZZZZZZZ' })).toEqual({ ok: false, reason: 'unknown_code' });
    expect(await lookupCode(w.db, officerA, { code: hh.code, eventId: otherEventId })).toEqual({ ok: false, reason: 'other_event', eventId });
    expect(await lookupCode(w.db, officerB, { code: hh.code })).toEqual({ ok: false, reason: 'out_of_scope' });
    expect(await lookupCode(w.db, await staff(w.db, 'viewer'), { code: hh.code })).toEqual({ ok: false, reason: 'forbidden' });
    const audits = await w.db.select().from(auditLog).where(and(eq(auditLog.entity, 'invitation'), eq(auditLog.entityId, String(hh.invitationId))));
    expect(audits).toEqual([]);
  });
});

describe('checkIn', () => {
  it('records the collection, audits it, and sends a receipt to every reachable linked chat in its language', async () => {
    const hh = await invited({
      chats: [{ language: 'id' }, { language: 'en', channel: 'telegram' }, { language: 'id', unreachable: true }, { language: 'id', channel: 'whatsapp_web' }],
    });
    const r = await checkIn(w.db, officerA, { code: hh.code.toLowerCase(), eventId }, opts);
    expect(r).toEqual({ ok: true, invitationId: hh.invitationId, collectedAt: DAY, siteId: w.siteA, byProxy: false, receipts: 3 });
    const [inv] = await w.db.select().from(invitations).where(eq(invitations.id, hh.invitationId));
    expect(inv).toMatchObject({ status: 'collected', collectedAt: DAY, collectedSiteId: w.siteA, collectedByStaffId: officerA.id, collectedByProxy: false });
    const audits = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'invitation.checkin'), eq(auditLog.entityId, String(hh.invitationId))));
    expect(audits).toHaveLength(1);

    const sent = await receiptsOf(hh.contactIds);
    expect(sent.map((s) => s.contactId)).toEqual([hh.contactIds[0], hh.contactIds[1], hh.contactIds[3]]);
    const [id, en, waWeb] = sent.map((s) => s.payload as { text: string; options?: { id: string; label: string }[]; template?: unknown });
    const name = maskName(hh.headName);
    expect(id!.text).toContain('Tanda terima: Bantuan Sembako Uji.');
    expect(id!.text).toContain(`Bantuan telah diterima pada Kamis, 10 Desember 2026 pukul 08.00 WIB di Kantor Kelurahan Sungai Binti oleh ${name}.`);
    expect(id!.text).toContain('balas LAPOR');
    expect(id!.options).toEqual([{ id: `lapor:${hh.invitationId}`, label: 'LAPOR' }]);
    expect(en!.text).toContain(`collected on Thursday, 10 December 2026 at 08:00 WIB at Kantor Kelurahan Sungai Binti by ${name}.`);
    expect(en!.text).toContain('reply LAPOR');
    // A numbered list on WhatsApp Web would be misread days later; the text alone says what to reply.
    expect(waWeb!.options).toBeUndefined();
    expect(id!.template).toEqual({ kind: 'notice', params: [id!.text] });
    expect(sent.every((s) => s.priority === 0)).toBe(true);
  });

  it('by an approved kuasa: the receipt names the kuasa, masked', async () => {
    const hh = await invited();
    await addProxy(hh.invitationId, 'approved');
    const r = await checkIn(w.db, cityOfficer, { code: hh.code, byProxy: true }, opts);
    expect(r).toMatchObject({ ok: true, byProxy: true });
    const [receipt] = await receiptsOf(hh.contactIds);
    expect((receipt!.payload as { text: string }).text).toContain(`oleh kuasa ${maskName('Rahmat Hidayat')}.`);
  });

  it('refuses a second check-in with when, where and by whom, changing nothing', async () => {
    const hh = await invited();
    expect((await checkIn(w.db, officerA, { code: hh.code }, opts)).ok).toBe(true);
    const before = await snapshot(hh.invitationId);
    const later = { ...opts, now: new Date(DAY.getTime() + 3_600_000) };
    const r = await checkIn(w.db, cityOfficer, { code: hh.code }, later);
    expect(r).toEqual({
      ok: false,
      reason: 'already_collected',
      collectedAt: DAY,
      siteId: w.siteA,
      siteName: 'Kantor Kelurahan Sungai Binti',
      byProxy: false,
      collectorName: maskName(hh.headName),
      recordedBy: 'Petugas Uji',
    });
    expect(await snapshot(hh.invitationId)).toEqual(before);
    const look = await lookupCode(w.db, officerA, { code: hh.code });
    expect(look.ok && look.lookup.blocker).toBe('already_collected');
    expect(look.ok && look.lookup.collected?.siteName).toBe('Kantor Kelurahan Sungai Binti');
  });

  it('refuses, changing nothing: unknown code, another event, closed or cancelled event, closed invitation, kuasa not approved', async () => {
    type Setup = () => Promise<{ invitationId: number; attempt: () => ReturnType<typeof checkIn>; expected: unknown }>;
    const refusals: [string, Setup][] = [
      ['unknown code', async () => {
        const hh = await invited();
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: `${hh.code}X` }, opts), expected: { ok: false, reason: 'unknown_code' } };
      }],
      ['empty code', async () => {
        const hh = await invited();
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: ' - ' }, opts), expected: { ok: false, reason: 'unknown_code' } };
      }],
      ['another event', async () => {
        const hh = await invited();
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code, eventId: otherEventId }, opts), expected: { ok: false, reason: 'other_event', eventId } };
      }],
      ['event closed', async () => {
        const ev = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 5 }] });
        await w.db.update(distributionEvents).set({ closedAt: DAY }).where(eq(distributionEvents.id, ev.eventId));
        const hh = await invited({ event: ev.eventId, slot: ev.slotIds[0]! });
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code }, opts), expected: { ok: false, reason: 'event_closed' } };
      }],
      ['event done', async () => {
        const ev = await makeEvent(w.db, { programId: w.householdProgramId, status: 'done', slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 5 }] });
        const hh = await invited({ event: ev.eventId, slot: ev.slotIds[0]! });
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code }, opts), expected: { ok: false, reason: 'event_closed' } };
      }],
      ['event cancelled', async () => {
        const ev = await makeEvent(w.db, { programId: w.householdProgramId, status: 'cancelled', slots: [{ siteId: w.siteA, start: '08:00', end: '10:00', capacity: 5 }] });
        const hh = await invited({ event: ev.eventId, slot: ev.slotIds[0]! });
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code }, opts), expected: { ok: false, reason: 'event_cancelled' } };
      }],
      ...(['declined', 'cancelled', 'no_show'] as const).map(
        (status): [string, Setup] =>
          [`invitation ${status}`, async () => {
            const hh = await invited({ status, slot: status === 'declined' ? null : slotA });
            // A declined invitation has given its seat back: the officer names the site they stand at.
            return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code, siteId: w.siteA }, opts), expected: { ok: false, reason: 'not_collectable', status } };
          }],
      ),
      ['a week before the event day', async () => {
        const hh = await invited();
        const early = { ...opts, now: new Date(DAY.getTime() - 7 * 86_400_000) };
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code }, early), expected: { ok: false, reason: 'not_yet_open', opensOn: EVENT_DATE } };
      }],
      ['23:59 WIB the evening before', async () => {
        const hh = await invited();
        const eve = { ...opts, now: new Date(new Date(`${EVENT_DATE}T00:00:00+07:00`).getTime() - 60_000) };
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code }, eve), expected: { ok: false, reason: 'not_yet_open', opensOn: EVENT_DATE } };
      }],
      ['kuasa asked for, none named', async () => {
        const hh = await invited();
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code, byProxy: true }, opts), expected: { ok: false, reason: 'proxy_not_approved' } };
      }],
      ['kuasa asked for, still pending', async () => {
        const hh = await invited();
        await addProxy(hh.invitationId, 'pending');
        await addProxy(hh.invitationId, 'rejected');
        return { invitationId: hh.invitationId, attempt: () => checkIn(w.db, officerA, { code: hh.code, byProxy: true }, opts), expected: { ok: false, reason: 'proxy_not_approved' } };
      }],
    ];
    for (const [label, setup] of refusals) {
      const { invitationId, attempt, expected } = await setup();
      const before = await snapshot(invitationId);
      expect({ label, result: await attempt() }).toEqual({ label, result: expected });
      expect({ label, after: await snapshot(invitationId) }).toEqual({ label, after: before });
    }
  });

  it('opens at midnight of the event day (office time) and stays open after the day until the event is closed', async () => {
    const first = await invited();
    const look = await lookupCode(w.db, officerA, { code: first.code }, { now: new Date(DAY.getTime() - 86_400_000), timeZone: TZ });
    expect(look.ok && look.lookup.blocker).toBe('not_yet_open');
    expect(await checkIn(w.db, officerA, { code: first.code }, { ...opts, now: new Date(`${EVENT_DATE}T00:00:00+07:00`) })).toMatchObject({ ok: true });
    const late = await invited();
    expect(await checkIn(w.db, officerA, { code: late.code }, { ...opts, now: new Date(DAY.getTime() + 86_400_000) })).toMatchObject({ ok: true });
  });

  it('counts the collections per site of the event, only the officer’s own kecamatan for a scoped one', async () => {
    const ev = await makeEvent(w.db, {
      programId: w.householdProgramId,
      slots: [
        { siteId: w.siteA, start: '08:00', end: '10:00', capacity: 10 },
        { siteId: w.siteB, start: '08:00', end: '10:00', capacity: 10 },
      ],
    });
    const a1 = await invited({ event: ev.eventId, slot: ev.slotIds[0]! });
    await invited({ event: ev.eventId, slot: ev.slotIds[0]! });
    await invited({ event: ev.eventId, slot: ev.slotIds[0]!, status: 'declined' });
    const b1 = await invited({ event: ev.eventId, slot: ev.slotIds[1]! });
    expect(await checkIn(w.db, officerA, { code: a1.code, eventId: ev.eventId }, opts)).toMatchObject({ ok: true });
    expect(await checkIn(w.db, cityOfficer, { code: b1.code, eventId: ev.eventId }, opts)).toMatchObject({ ok: true });
    const city = await checkinCounts(w.db, cityOfficer, ev.eventId);
    expect(city.map(({ siteId, collected, expected }) => ({ siteId, collected, expected })).sort((x, y) => x.siteId - y.siteId)).toEqual(
      [
        { siteId: w.siteA, collected: 1, expected: 2 },
        { siteId: w.siteB, collected: 1, expected: 1 },
      ].sort((x, y) => x.siteId - y.siteId),
    );
    // An event with a site in another kecamatan is outside a scoped officer's area altogether (eventInScope).
    expect(await checkinCounts(w.db, officerA, ev.eventId)).toEqual([]);
    const own = await checkinCounts(w.db, officerA, eventId);
    expect(own.every((r) => r.siteId === w.siteA) || own.length === 0).toBe(true);
    expect(await checkinCounts(w.db, await staff(w.db, 'operator'), ev.eventId)).toEqual([]);
  });

  it('refuses roles without check-in and sites outside the officer’s kecamatan, changing nothing', async () => {
    const hh = await invited();
    const before = await snapshot(hh.invitationId);
    for (const role of ['viewer', 'operator', 'supervisor'] as const) {
      expect(await checkIn(w.db, await staff(w.db, role), { code: hh.code }, opts)).toEqual({ ok: false, reason: 'forbidden' });
    }
    // The invitation's own site is in kecamatan A.
    expect(await checkIn(w.db, officerB, { code: hh.code }, opts)).toEqual({ ok: false, reason: 'out_of_scope' });
    // Officer A naming the event's site in kecamatan B.
    expect(await checkIn(w.db, officerA, { code: hh.code, siteId: w.siteB }, opts)).toEqual({ ok: false, reason: 'out_of_scope' });
    // A site that hosts no slot of this event, and one that does not exist.
    const stray = await makeSite(w.db, { kecamatanId: w.area.kecA, name: 'Balai RW' });
    expect(await checkIn(w.db, officerA, { code: hh.code, siteId: stray }, opts)).toEqual({ ok: false, reason: 'unknown_site' });
    expect(await checkIn(w.db, officerA, { code: hh.code, siteId: 999_999 }, opts)).toEqual({ ok: false, reason: 'unknown_site' });
    expect(await snapshot(hh.invitationId)).toEqual(before);
  });

  it('lets a city-wide officer record at another site of the event', async () => {
    const hh = await invited();
    expect(await checkIn(w.db, cityOfficer, { code: hh.code, siteId: w.siteB }, opts)).toMatchObject({ ok: true, siteId: w.siteB });
  });

  it.skipIf(!onPostgres)('two officers checking the same code at once: exactly one collects (real PostgreSQL only)', async () => {
    for (let round = 0; round < 5; round++) {
      const hh = await invited({ chats: [{ language: 'id' }] });
      const results = await Promise.all([
        checkIn(w.db, officerA, { code: hh.code }, opts),
        checkIn(w.db, cityOfficer, { code: hh.code }, opts),
        checkIn(w.db, officerA, { code: hh.code.toLowerCase() }, opts),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['already_collected', 'already_collected']);
      expect(await receiptsOf(hh.contactIds)).toHaveLength(1);
      const audits = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'invitation.checkin'), eq(auditLog.entityId, String(hh.invitationId))));
      expect(audits).toHaveLength(1);
    }
  });
});
