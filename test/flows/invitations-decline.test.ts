import { and, asc, eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { auditLog, distributionEvents, eventSlots, invitations, members, reminderFires } from '../../src/db/schema/index.ts';
import { formatDate, todayIn } from '../../src/domain/dates.ts';
import { normalizeInvitationCode } from '../../src/domain/invitation-code.ts';
import { createI18n } from '../../src/i18n.ts';
import { invitationQr } from '../../src/messages/notices/distribution.ts';
import { withImages } from '../../src/outbox/images.ts';
import type { UpcomingInvitation } from '../../src/services/distribution/invitations.ts';
import { flowHarness, onInvitations, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

// Issue 17, items 6 and 9: declining is asked twice and can be taken back until the distribution is over;
// every view of one invitation carries its QR; "Kembali ke undangan" goes to the invitation.

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };
const TZ = 'Asia/Jakarta';

let h: FlowHarness;
let tr: Record<Locale, TFunction>;
let household: number;
let invitationId: number;
let eventId: number;

beforeAll(async () => {
  h = await flowHarness();
  const i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
  const [siti] = await h.database.db.select({ householdId: members.householdId }).from(members).where(eq(members.nik, SITI.nik));
  household = siti!.householdId;
  const [inv] = await h.services.invitations.upcomingInvitations(household, h.clock());
  invitationId = inv!.invitationId;
  eventId = (await row()).eventId;
}, 120_000);
afterAll(() => h.dispose());

// Every test starts from Siti's invitation open, on its first slot, with the event open.
let original: { slotId: number; status: 'invited' | 'confirmed' };
beforeAll(async () => {
  const r = await row();
  original = { slotId: r.slotId!, status: r.status as 'invited' };
});
beforeEach(async () => {
  const r = await row();
  if (r.status === 'declined') await h.services.invitations.restoreInvitation({ invitationId, householdId: household, now: h.clock() });
  await h.database.db.update(distributionEvents).set({ status: 'open', closedAt: null }).where(eq(distributionEvents.id, eventId));
});

async function row() {
  const [r] = await h.database.db.select().from(invitations).where(eq(invitations.id, invitationId));
  return r!;
}

async function siti(): Promise<UpcomingInvitation> {
  const [inv] = await h.services.invitations.upcomingInvitations(household, h.clock());
  if (!inv) throw new Error('Siti has no open invitation');
  return inv;
}

async function booked(slotId: number): Promise<number> {
  const [s] = await h.database.db.select({ booked: eventSlots.booked }).from(eventSlots).where(eq(eventSlots.id, slotId));
  return s!.booked;
}

async function pendingReminders(): Promise<number> {
  const r = await row();
  const rows = await h.database.db
    .select()
    .from(reminderFires)
    .where(and(eq(reminderFires.invitationId, invitationId), eq(reminderFires.status, 'pending'), eq(reminderFires.version, r.reminderVersion)));
  return rows.length;
}

/** A chat verified as Siti, on her invitation. */
const sitiOnInvitation = (locale: Locale): Promise<ChatDriver> => onInvitations(h.engine, locale, SITI);

describe('declining an invitation', () => {
  it.each<Locale>(['id', 'en'])('asks what declining means before doing it, and "Kembali" changes nothing (%s)', async (locale) => {
    const t = tr[locale];
    const c = await sitiOnInvitation(locale);
    const inv = await siti();
    const seats = await booked(inv.slotId);
    await c.choose('decline');
    await c.choose('sick');
    const day = formatDate(todayIn(TZ, inv.startsAt), locale);
    expect(c.last.text).toBe(t('invitations:decline.confirm', { title: locale === 'en' && inv.eventTitleEn ? inv.eventTitleEn : inv.eventTitle, day }));
    if (locale === 'id') expect(c.last.text).toContain(`${inv.eventTitle} pada ${day} akan dibatalkan. Bantuan masih bisa diambil lewat kuasa, atau pada jadwal lain bila ada. Apakah Bapak/Ibu yakin tidak bisa hadir?`);
    expect(c.last.options).toEqual([
      { id: 'yes', label: t('invitations:decline.yes') },
      { id: 'back', label: t('invitations:decline.back') },
    ]);
    expect((await row()).status).toBe(original.status);

    await c.choose('back');
    expect(c.text).toContain(t('invitations:detail.code', { code: inv.code }));
    expect(c.options).toContain('decline');
    const after = await row();
    expect(after.status).toBe(original.status);
    expect(after.slotId).toBe(inv.slotId);
    expect(await booked(inv.slotId)).toBe(seats);
  });

  it('declines after "Ya", says what happens next, and keeps the invitation visible as "Tidak hadir"', async () => {
    const c = await sitiOnInvitation('id');
    const inv = await siti();
    const seats = await booked(inv.slotId);
    await c.choose('decline');
    await c.choose('sick');
    await c.say('ya'); // typed, as on WhatsApp Web
    expect(c.replies[0]!.text).toBe(tr.id('invitations:decline.done', { title: inv.eventTitle }));
    expect(c.text).toContain(tr.id('invitations:declined.ask', { day: formatDate(todayIn(TZ, inv.startsAt), 'id') }));
    expect(c.options).toEqual(['restore', 'cmd:menu']);
    const r = await row();
    expect(r).toMatchObject({ status: 'declined', declineReason: 'sick', slotId: null });
    expect(await booked(inv.slotId)).toBe(seats - 1);
    expect(await pendingReminders()).toBe(0);

    // The reproduction: "Lihat undangan" after declining said there was no invitation.
    await c.say('menu');
    await c.choose('invitations');
    expect(c.text).not.toContain(tr.id('invitations:none'));
    expect(c.text).toContain(tr.id('invitations:detail.title', { title: inv.eventTitle }));
    expect(c.text).toContain(tr.id('invitations:declined.status'));
    expect(c.text).toContain('Tidak hadir');
    expect(c.options).toEqual(['restore', 'cmd:menu']);
    expect(c.last.options!.find((o) => o.id === 'restore')!.label).toBe('Saya jadi bisa hadir');
    // Nothing but the way back is answered on a declined invitation.
    await c.choose('confirm');
    expect((await row()).status).toBe('declined');
  });

  it('"Saya jadi bisa hadir" restores the seat and the answer, plans reminders again, and is audited', async () => {
    // Confirmed first: restoring gives back "confirmed", not a fresh "invited".
    await h.services.invitations.confirmInvitation({ invitationId, householdId: household, now: h.clock() });
    const c = await sitiOnInvitation('id');
    const inv = await siti();
    const seats = await booked(inv.slotId);
    await c.choose('decline');
    await c.choose('at_sea');
    await c.choose('yes');
    expect(await booked(inv.slotId)).toBe(seats - 1);

    await c.choose('restore');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:restored.confirmed', { code: inv.code }));
    const r = await row();
    expect(r).toMatchObject({ status: 'confirmed', slotId: inv.slotId, declineReason: null });
    expect(await booked(inv.slotId)).toBe(seats);
    expect(await pendingReminders()).toBeGreaterThan(0);
    expect((await siti()).invitationId).toBe(invitationId);

    const audits = await h.database.db
      .select({ action: auditLog.action, actorKind: auditLog.actorKind, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'invitation'), eq(auditLog.entityId, String(invitationId))))
      .orderBy(asc(auditLog.id));
    const last2 = audits.slice(-2);
    expect(last2.map((a) => a.action)).toEqual(['invitation.decline', 'invitation.restore']);
    expect(last2.every((a) => a.actorKind === 'resident')).toBe(true);
    expect(last2[0]!.details).toMatchObject({ slotId: inv.slotId, fromStatus: 'confirmed' });
    expect(last2[1]!.details).toMatchObject({ slotId: inv.slotId, toStatus: 'confirmed', sameSlot: true });

    // Back to how the other tests expect it.
    await h.database.db.update(invitations).set({ status: original.status }).where(eq(invitations.id, invitationId));
  });

  it('gives another seat when the one given up has filled, and says so', async () => {
    const c = await sitiOnInvitation('en');
    const inv = await siti();
    await c.choose('decline');
    await c.choose('working_away');
    await c.choose('yes');
    const [slot] = await h.database.db.select().from(eventSlots).where(eq(eventSlots.id, inv.slotId));
    await h.database.db.update(eventSlots).set({ booked: slot!.capacity }).where(eq(eventSlots.id, inv.slotId));
    try {
      await c.choose('restore');
      expect(c.replies[0]!.text).toBe(tr.en('invitations:restored.otherSlot'));
      const r = await row();
      expect(r.status).toBe('invited');
      expect(r.slotId).not.toBe(inv.slotId);
      expect(r.slotId).not.toBeNull();
    } finally {
      await h.database.db.update(eventSlots).set({ booked: slot!.booked }).where(eq(eventSlots.id, inv.slotId));
    }
  });

  it.each([
    ['done', { status: 'done' as const }],
    ['cancelled', { status: 'cancelled' as const }],
    ['closed', { closedAt: new Date() }],
  ])('is final once the event is %s: not listed, and the service refuses to restore it', async (_what, change) => {
    const c = await sitiOnInvitation('id');
    await c.choose('decline');
    await c.choose('sick');
    await c.choose('yes');
    await h.database.db.update(distributionEvents).set(change).where(eq(distributionEvents.id, eventId));

    await c.choose('restore');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:notOpen'));
    expect((await row()).status).toBe('declined');
    expect(await h.services.invitations.restoreInvitation({ invitationId, householdId: household, now: h.clock() })).toEqual({ ok: false, reason: 'not_open' });
    expect(await h.services.invitations.declinedInvitations(household, h.clock())).toEqual([]);
    await c.say('menu');
    await c.choose('invitations');
    expect(c.text).toContain(tr.id('invitations:none'));
  });

  it('is final once every slot is past, and another household cannot restore it', async () => {
    const c = await sitiOnInvitation('id');
    await c.choose('decline');
    await c.choose('sick');
    await c.choose('yes');
    expect(await h.services.invitations.restoreInvitation({ invitationId, householdId: household + 1, now: h.clock() })).toEqual({ ok: false, reason: 'not_found' });

    const slots = await h.database.db.select({ endsAt: eventSlots.endsAt }).from(eventSlots).where(eq(eventSlots.eventId, eventId));
    const after = new Date(Math.max(...slots.map((s) => s.endsAt.getTime())) + 60_000);
    expect(await h.services.invitations.declinedInvitations(household, after)).toEqual([]);
    expect(await h.services.invitations.restoreInvitation({ invitationId, householdId: household, now: after })).toEqual({ ok: false, reason: 'not_open' });
    expect((await row()).status).toBe('declined');
  });
});

describe('the decline screens', () => {
  it.each<Locale>(['id', 'en'])('"Kembali ke undangan" on "Alasan lain" returns to the invitation (%s)', async (locale) => {
    const t = tr[locale];
    const c = await sitiOnInvitation(locale);
    const inv = await siti();
    await c.choose('decline');
    await c.choose('other');
    expect(c.last.text).toBe(t('invitations:decline.other'));
    expect(c.last.options).toEqual([{ id: 'back', label: t('invitations:options.back') }]);
    await c.choose('back');
    expect(c.text).not.toContain(t('invitations:decline.prompt'));
    expect(c.text).toContain(t('invitations:detail.code', { code: inv.code }));
    expect(c.options).toEqual(['confirm', 'slot', 'decline', 'proxy', 'cmd:menu'].filter((o) => o !== 'confirm' || inv.status !== 'confirmed'));
  });

  it('a reason written out is confirmed the same way', async () => {
    const c = await sitiOnInvitation('id');
    await c.choose('decline');
    await c.choose('other');
    await c.say('Merawat ibu di Tanjungpinang');
    expect(c.options).toEqual(['yes', 'back']);
    await c.say('apa maksudnya?');
    expect(c.replies[0]!.text).toBe(tr.id('invitations:decline.confirmRetry'));
    expect((await row()).status).not.toBe('declined');
    await c.choose('yes');
    expect((await row())).toMatchObject({ status: 'declined', declineReason: 'Merawat ibu di Tanjungpinang' });
  });
});

describe('the QR with every view of an invitation', () => {
  it.each<Locale>(['id', 'en'])('comes with the invitation opened in the chat, as with the pushed one (%s)', async (locale) => {
    const c = await sitiOnInvitation(locale);
    const inv = await siti();
    const withQr = c.replies.filter((r) => r.qrCode);
    expect(withQr).toHaveLength(1);
    // The same value the pushed invitation stores (messages/notices/distribution.ts), canonical.
    expect(withQr[0]!.qrCode).toBe(invitationQr(inv.code).qrCode);
    expect(withQr[0]!.qrCode).toBe(normalizeInvitationCode(inv.code));
    expect(withQr[0]!.text).toContain(inv.code);
    // And it is drawn the way an outbox row is (the web chat route does this for inline answers).
    expect(withImages(withQr[0]!).image?.pngBase64).toMatch(/^iVBORw0KGgo/);

    // Opened again through the list or a button of the pushed message: the QR again.
    await c.say('menu');
    await c.choose(`inv:${inv.invitationId}`);
    expect(c.replies.some((r) => r.qrCode === normalizeInvitationCode(inv.code))).toBe(true);
  });

  it('shows the code in one form, XXXX-XXXX', async () => {
    const c = await sitiOnInvitation('id');
    const inv = await siti();
    expect(inv.code).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}$/);
    expect(c.text).toContain(inv.code);
    expect(c.text).not.toContain(normalizeInvitationCode(inv.code));
  });
});
