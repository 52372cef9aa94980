import { and, eq, sql } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { distributionEvents, eventSlots, invitations, members, proxies } from '../../src/db/schema/index.ts';
import { formatDate, formatDateTime, formatTime, todayIn } from '../../src/domain/dates.ts';
import { createI18n } from '../../src/i18n.ts';
import type { UpcomingInvitation } from '../../src/services/distribution/invitations.ts';
import { lastCodeSentTo } from '../helpers/codes.ts';
import { driver, flowHarness, onInvitations, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };
const AHMAD = { nik: '2171060501520002', birth: '05-01-1952' };
const DEWI = { nik: '2171034110780004', birth: '01-10-1978' };
const TZ = 'Asia/Jakarta';

let h: FlowHarness;
let tr: Record<Locale, TFunction>;
let household: number;

beforeAll(async () => {
  h = await flowHarness();
  const i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
  const [siti] = await h.database.db.select({ householdId: members.householdId }).from(members).where(eq(members.nik, SITI.nik));
  household = siti!.householdId;
}, 120_000);
afterAll(() => h.dispose());

async function sitisInvitation(): Promise<UpcomingInvitation> {
  const [inv] = await h.services.invitations.upcomingInvitations(household, h.clock());
  if (!inv) throw new Error('Siti has no upcoming invitation');
  return inv;
}

async function booked(...slotIds: number[]): Promise<number[]> {
  const out: number[] = [];
  for (const id of slotIds) {
    const [row] = await h.database.db.select({ booked: eventSlots.booked }).from(eventSlots).where(eq(eventSlots.id, id));
    out.push(row!.booked);
  }
  return out;
}

async function invitationRow(id: number) {
  const [row] = await h.database.db.select().from(invitations).where(eq(invitations.id, id));
  return row!;
}

/** A chat verified as Siti, on her invitation. */
const sitiOnInvitation = (locale: Locale): Promise<ChatDriver> => onInvitations(h.engine, locale, SITI);

describe('undangan saya', () => {
  it.each<Locale>(['id', 'en'])('asks an unverified chat for its identity first, then shows the invitation (%s)', async (locale) => {
    const t = tr[locale];
    const c = driver(h.engine);
    await c.start(locale);
    await c.choose('invitations');
    expect(c.replies[0]!.text).toBe(t('invitations:needIdentity'));
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    await c.say('12345');
    expect(c.replies[0]!.text).toBe(t('aid:nik.wrongLength', { count: 5 }));
    await c.say(SITI.nik);
    expect(c.last.text).toBe(t('identity:kk.prompt'));
    await c.say('2171100207180005');
    expect(c.last.text).toBe(t('aid:birth.prompt'));
    h.clock.advance(61_000);
    await c.say(SITI.birth);
    // Knowledge alone shows no invitation; the code on her registry phone does.
    expect(c.text).toContain(t('identity:knowledge.why'));
    const inv = await sitisInvitation();
    expect(c.text).not.toContain(inv.code);
    // The code went to her registry phone with the answer to the date.
    expect(c.options).toContain('resend');
    await c.say((await lastCodeSentTo(h.database.db))!);
    expect(c.replies[0]!.text).toBe(t('identity:linked.code'));
    expect(c.text).toContain(inv.code);
    expect(c.options).toEqual(['confirm', 'slot', 'decline', 'proxy', 'cmd:menu']);
  });

  it.each<Locale>(['id', 'en'])('shows the date, place, map, documents and status (%s)', async (locale) => {
    const t = tr[locale];
    const c = await sitiOnInvitation(locale);
    const inv = await sitisInvitation();
    const starts = formatDateTime(inv.startsAt, locale, TZ);
    if (locale === 'id') expect(starts).toMatch(/^(Senin|Selasa|Rabu|Kamis|Jumat), \d{1,2} \w+ \d{4} pukul \d{2}\.\d{2} WIB$/);
    expect(c.text).toContain(t('invitations:detail.when', { when: t('invitations:range', { start: starts, end: formatTime(inv.endsAt, locale, TZ) }) }));
    expect(c.text).toContain(inv.siteName);
    expect(c.text).toContain(inv.siteAddress);
    expect(c.text).toContain(`https://maps.google.com/?q=${inv.latitude},${inv.longitude}`);
    expect(c.text).toContain(t('invitations:detail.code', { code: inv.code }));
    expect(c.text).toContain(t('invitations:documents.KTP'));
    expect(c.text).toContain(t('invitations:documents.KK'));
    expect(c.text).toContain(t('invitations:detail.status', { status: t('invitations:statuses.invited') }));
  });

  it('tells a household without invitations so, and what to expect', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(AHMAD.nik, AHMAD.birth);
    await c.say('menu');
    await c.choose('invitations');
    expect(c.text).toContain(tr.id('invitations:none'));
    expect(c.text).toContain(tr.id('invitations:noneExplain'));
    expect(c.options).toEqual(['aid', 'cmd:menu']);
  });

  it('lets a household with several invitations pick one', async () => {
    const [dewi] = await h.database.db.select({ householdId: members.householdId }).from(members).where(eq(members.nik, DEWI.nik));
    const siti = await invitationRow((await sitisInvitation()).invitationId);
    const slots = await h.database.db.select().from(eventSlots).where(eq(eventSlots.eventId, siti.eventId)).orderBy(eventSlots.startsAt);
    const [first, second] = await h.database.db
      .insert(invitations)
      .values([
        { eventId: siti.eventId, householdId: dewi!.householdId, slotId: slots[0]!.id, code: 'DW2345', round: 1, status: 'invited' },
        { eventId: siti.eventId, householdId: dewi!.householdId, slotId: slots[1]!.id, code: 'DW6789', round: 2, status: 'invited' },
      ])
      .returning({ id: invitations.id });

    const c = driver(h.engine);
    await c.start('id');
    await c.verify(DEWI.nik, DEWI.birth);
    await c.say('menu');
    await c.choose('invitations');
    expect(c.last.text).toBe(tr.id('invitations:list', { count: 2 }));
    expect(c.options).toEqual([`inv:${first!.id}`, `inv:${second!.id}`, 'cmd:menu']);
    await c.say('2');
    expect(c.text).toContain('DW6789');
    expect(c.text).toContain(tr.id('invitations:detail.round', { round: 2 }));
    await c.choose('decline');
    await c.choose('other');
    expect(c.last.text).toBe(tr.id('invitations:decline.other'));
    await c.say('Merawat ibu di Tanjungpinang');
    expect(c.options).toEqual(['yes', 'back']); // what declining means, asked first (invitations-decline.test.ts)
    await c.choose('yes');
    const [event] = await h.database.db.select({ title: distributionEvents.title }).from(distributionEvents).where(eq(distributionEvents.id, siti.eventId));
    expect(c.replies[0]!.text).toBe(tr.id('invitations:decline.done', { title: event!.title }));
    expect((await invitationRow(second!.id)).declineReason).toBe('Merawat ibu di Tanjungpinang');
    expect((await invitationRow(first!.id)).status).toBe('invited');
  });

  it('confirms attendance', async () => {
    const c = await sitiOnInvitation('id');
    const inv = await sitisInvitation();
    await c.choose('confirm');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:confirmed.done', { code: inv.code }));
    expect((await invitationRow(inv.invitationId)).status).toBe('confirmed');
    expect((await sitisInvitation()).status).toBe('confirmed');

    // Confirmed: no "I will come" button any more, and the status says so.
    await c.choose('invitations');
    expect(c.text).toContain(tr.id('invitations:statuses.confirmed'));
    expect(c.options).toEqual(['slot', 'decline', 'proxy', 'cmd:menu']);
  });

  it('changes the slot, and lists again when the chosen one just filled up', async () => {
    const c = await sitiOnInvitation('en');
    const before = await sitisInvitation();
    const slots = await h.services.invitations.availableSlots(before.invitationId, h.clock());
    expect(slots.length).toBeGreaterThan(1);
    await c.choose('slot');
    expect(c.replies[0]!.text).toBe(tr.en('invitations:slots.promptDay', { day: formatDate(todayIn(TZ, slots[0]!.startsAt), 'en') }));
    expect(c.last.options![0]!.label).toBe(`09:00–11:00 WIB, ${slots[0]!.siteName} (${slots[0]!.seatsLeft} left)`);
    expect(c.options).toEqual([...slots.map((s) => `slot:${s.slotId}`), 'back', 'cmd:menu']);

    // Someone else takes the last seat of the first slot between the list and the tap.
    const [taken, target] = slots as [(typeof slots)[0], (typeof slots)[0]];
    await h.database.db.update(eventSlots).set({ booked: sql`${eventSlots.capacity}` }).where(eq(eventSlots.id, taken.slotId));
    const bookedBefore = await booked(before.slotId, target.slotId);
    await c.choose(`slot:${taken.slotId}`);
    expect(c.replies[0]!.text).toBe(tr.en('invitations:slots.full'));
    expect(c.options).not.toContain(`slot:${taken.slotId}`);
    expect(c.options).toContain(`slot:${target.slotId}`);

    await c.choose(`slot:${target.slotId}`);
    expect(c.replies[0]!.text).toBe(tr.en('invitations:slots.changed'));
    expect(c.text).toContain(target.siteName);
    const after = await sitisInvitation();
    expect(after.slotId).toBe(target.slotId);
    expect(after.status).toBe('confirmed');
    const bookedAfter = await booked(before.slotId, target.slotId);
    expect(bookedAfter).toEqual([bookedBefore[0]! - 1, bookedBefore[1]! + 1]);
  });

  it('names a kuasa, checking the NIK, and says what the kuasa must bring', async () => {
    const c = await sitiOnInvitation('id');
    const inv = await sitisInvitation();
    await c.choose('proxy');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:proxy.intro'));
    expect(c.last.text).toBe(tr.id('invitations:proxy.name'));
    await c.say('12');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:proxy.nameRetry'));
    await c.say('Rahmat Hidayat');
    expect(c.last.text).toBe(tr.id('invitations:proxy.nik', { name: 'Rahmat Hidayat' }));
    await c.say('2171 1003 0682 001');
    expect(c.replies[0]!.text).toBe(tr.id('aid:nik.wrongLength', { count: 15 }));
    await c.say('2171 1003 0682 0001');
    expect(c.last.text).toBe(tr.id('invitations:proxy.relation'));
    expect(c.options).toEqual(['spouse', 'child', 'parent', 'sibling', 'other']);
    await c.choose('spouse');
    expect(c.options).toEqual(['sick', 'elderly', 'disabled', 'working_away', 'at_sea', 'other']);
    await c.choose('working_away');
    await c.choose('skip'); // the photo of the surat kuasa is optional
    expect(c.last.text).toContain('Rahmat Hidayat');
    expect(c.last.text).toContain('217110******0001');
    expect(c.last.text).not.toContain('2171100306820001');
    expect(c.options).toEqual(['send', 'change', 'cancel']);
    await c.choose('send');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:proxy.sent'));
    expect(c.text).toContain(tr.id('invitations:proxy.bring', { code: inv.code }));

    const rows = await h.database.db.select().from(proxies).where(eq(proxies.invitationId, inv.invitationId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'Rahmat Hidayat', nik: '2171100306820001', relation: 'spouse', reason: 'working_away', status: 'pending' });

    // A second kuasa replaces the first, with a reason written out.
    await c.choose('invitations');
    await c.choose('proxy');
    await c.say('Nur Aisyah');
    await c.say('2171105508090001');
    await c.choose('other');
    expect(c.last.text).toBe(tr.id('invitations:proxy.relationOther'));
    await c.say('keponakan');
    await c.say('sedang dirawat di rumah sakit');
    await c.choose('skip');
    expect(c.last.text).toContain('keponakan');
    await c.choose('send');
    expect(c.text).toContain(tr.id('invitations:proxy.replaced'));
    const again = await h.database.db
      .select()
      .from(proxies)
      .where(and(eq(proxies.invitationId, inv.invitationId), eq(proxies.status, 'pending')));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ name: 'Nur Aisyah', relation: 'keponakan', reason: 'other', reasonNote: 'sedang dirawat di rumah sakit' });
  });

  it('records that the resident cannot come, with the reason', async () => {
    const c = await sitiOnInvitation('id');
    const inv = await sitisInvitation();
    await c.choose('decline');
    expect(c.options).toEqual(['sick', 'working_away', 'at_sea', 'elderly_disabled', 'other', 'proxy', 'back']);
    await c.say('..');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:decline.retry'));
    await c.choose('at_sea');
    expect(c.options).toEqual(['yes', 'back']); // nothing changes before the resident says yes
    expect((await invitationRow(inv.invitationId)).status).toBe(inv.status);
    await c.choose('yes');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:decline.done', { title: inv.eventTitle }));
    const row = await invitationRow(inv.invitationId);
    expect(row.status).toBe('declined');
    expect(row.declineReason).toBe('at_sea');
    expect(row.slotId).toBeNull();

    // Declined, but not gone: shown as not coming, with the way back (test/flows/invitations-decline.test.ts).
    await c.say('menu');
    await c.choose('invitations');
    expect(c.text).not.toContain(tr.id('invitations:none'));
    expect(c.text).toContain(tr.id('invitations:declined.status'));
    expect(c.options).toEqual(['restore', 'cmd:menu']);
  });
});
