import { eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { complaints, contacts, members } from '../../src/db/schema/index.ts';
import { formatDateTime } from '../../src/domain/dates.ts';
import { createI18n } from '../../src/i18n.ts';
import { driver, flowHarness, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';
import { programName } from '../helpers/program-names.ts';
import { formatRupiah } from '../../src/domain/money.ts';

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };
const SITI_KK = '2171100207180005';
const AHMAD = { nik: '2171060501520002', birth: '05-01-1952' };
const BUDI = { nik: '2171112007900003', birth: '20-07-1990' };
const DEWI = { nik: '2171034110780004', birth: '01-10-1978' };
const UNKNOWN = { nik: '2171105203850099', birth: '12-03-1985' };
const HOUR = 60 * 60 * 1000;

let h: FlowHarness;
let tr: Record<Locale, TFunction>;

beforeAll(async () => {
  h = await flowHarness();
  const i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
}, 120_000);
afterAll(() => h.dispose());

/** Nothing the bot says may carry a whole NIK or KK (16 digits, however grouped). */
function expectNoFullNumbers(c: ChatDriver) {
  for (const r of c.replies) expect(r.text.replace(/[\s.-]/g, '')).not.toMatch(/\d{16}/);
}

async function chatIn(locale: Locale): Promise<ChatDriver> {
  const c = driver(h.engine);
  await c.start(locale);
  return c;
}

describe.each<Locale>(['id', 'en'])('cek bansos in %s', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  it('asks for the NIK, then the KK number, then the birth date', async () => {
    const c = await chatIn(locale);
    await c.choose('aid');
    expect(c.text).toContain(t('aid:intro'));
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    expect(c.options).toContain('cmd:menu');
    await c.say(SITI.nik);
    expect(c.last.text).toBe(t('identity:kk.prompt'));
    await c.say('2171100207180005');
    expect(c.last.text).toBe(t('aid:birth.prompt'));
  });

  it('shows Siti her PKH and SEMBAKO and her invitation, masked', async () => {
    const c = await chatIn(locale);
    await c.verify(SITI.nik, SITI.birth);
    // The answer first, in one short bubble: what the family receives and the next invitation.
    const answer = c.last.text;
    expect(answer.length).toBeLessThanOrEqual(400);
    expect(answer).toContain(t('aid:answer.receiving', { programs: `Program Keluarga Harapan, Program Sembako (BPNT) ${t('aid:answer.and')} Program Indonesia Pintar` }).slice(0, 20));
    expect(answer).toContain(programName('PKH', locale));
    expect(answer).toContain(programName('SEMBAKO', locale));
    expect(answer).not.toContain('Rp');
    const [contact] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, c.chatId));
    const [inv] = await h.services.invitations.upcomingInvitations((await householdOf(contact!.memberId!))!, h.clock());
    expect(inv).toBeDefined();
    expect(answer).toContain(formatDateTime(inv!.startsAt, locale, 'Asia/Jakarta'));
    expect(answer).toContain(inv!.siteName);
    expect(c.options).toEqual(expect.arrayContaining(['details', 'invitations', 'other', 'cmd:menu']));
    expectNoFullNumbers(c);

    // The figures behind "Rincian": desil, periods and amounts of what she receives.
    await c.choose('details');
    // Her own name, as she writes it: the chat proved it is hers (by the code on her registry phone).
    expect(c.text).toContain('Siti Aminah');
    expect(c.text).toContain(t('aid:summary.desil', { desil: 1 }));
    expect(c.text).toContain(t('aid:per.quarter', { amount: formatRupiah(750_000, locale) }));
    expect(c.text).toContain(t('aid:per.month', { amount: formatRupiah(200_000, locale) }));
    expect(c.options).not.toContain('details');
    expectNoFullNumbers(c);

    // The invitation is one tap away.
    await c.choose('invitations');
    expect(c.text).toContain(inv!.code);
  });

  it('shows Ahmad his elderly aid', async () => {
    const c = await chatIn(locale);
    await c.verify(AHMAD.nik, AHMAD.birth);
    expect(c.last.text).toContain(programName('LANSIA', locale));
    await c.choose('details');
    expect(c.text).toContain('A**** Y****');
    expect(c.text).toContain(t('aid:per.month', { amount: formatRupiah(300_000, locale) }));
    expect(c.text).toContain(t('aid:summary.desil', { desil: 2 }));
    expect(c.options).not.toContain('invitations');
    expectNoFullNumbers(c);
  });

  it('tells Budi that desil 5 is above the line and how to ask for a re-survey', async () => {
    const c = await chatIn(locale);
    await c.verify(BUDI.nik, BUDI.birth);
    expect(c.last.text).toContain(t('aid:answer.none'));
    expect(c.last.text).toContain(t('aid:answer.aboveLine', { desil: 5, line: 4 }));
    expect(c.options).toContain('resurvey');
    await c.choose('details');
    expect(c.text).toContain(t('aid:summary.resurvey'));

    // The re-survey option leads to a "data is wrong: economic situation changed" report.
    await c.choose('resurvey');
    expect(c.text).toContain(t('complaint:fields.wrong_data.detail.prompt.condition'));
    await c.say(locale === 'id' ? 'Saya kena PHK bulan Agustus, sekarang tidak ada penghasilan tetap.' : 'I lost my job in August and have no regular income.');
    await c.choose('skip');
    expect(c.text).toContain(t('complaint:fields.wrong_data.what.options.condition'));
    await c.choose('send');
    expect(c.text).toMatch(/ADU-\d{4}-\d{5}/);
  });

  it('tells Dewi which programs she may be proposed for, and lets her propose now', async () => {
    const c = await chatIn(locale);
    await c.verify(DEWI.nik, DEWI.birth);
    expect(c.last.text).toContain(t('aid:answer.none'));
    expect(c.last.text).toContain(programName('PKH', locale));
    expect(c.last.text).not.toContain(t('aid:answer.aboveLine', { desil: 3, line: 4 }));
    // No amounts for aid the family does not receive.
    expect(c.last.text).not.toContain('Rp');
    expect(c.options).toContain('usulan');
    await c.choose('details');
    expect(c.text).toContain(t('aid:summary.eligibleHeader'));
    expect(c.text).toContain(t('aid:summary.howToPropose'));
    expect(c.text).not.toContain('Rp');

    // Verified and proposing her own family: the registry knows who she is, so only her situation is asked.
    await c.choose('usulan');
    expect(c.last.text).toBe(t('complaint:fields.usulan.situation.prompt'));
    await c.say(locale === 'id' ? 'Suami sakit, saya buruh cuci, tiga anak sekolah.' : 'My husband is ill, I wash clothes for a living, three children at school.');
    await c.choose('skip');
    expect(c.text).toContain(t('complaint:confirm.ownFamily'));
    await c.choose('send');
    const id = /ADU-\d{4}-\d{5}/.exec(c.text)?.[0];
    expect(id).toBeDefined();
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, id!));
    expect(row!.category).toBe('usulan');
    expect(row!.memberId).not.toBeNull();
    expect(row!.details).toMatchObject({ forWhom: 'self', fromAid: true, programs: expect.arrayContaining(['PKH']) });
  });

  it('explains DTSEN to an unknown NIK and offers a "not registered" report carrying the NIK', async () => {
    const c = await chatIn(locale);
    await c.verify(UNKNOWN.nik, UNKNOWN.birth);
    expect(c.text).toContain(t('aid:notFound.title'));
    expect(c.text).toContain(t('aid:notFound.dtsen'));
    expect(c.options).toEqual(['usulan', 'again', 'cmd:menu']);

    await c.choose('usulan');
    expect(c.text).toContain(t('complaint:intro.usulan'));
    expect(c.last.text).toBe(t('complaint:fields.usulan.name.prompt'));
    await c.say('Rina Marlina');
    expect(c.last.text).toBe(t('complaint:fields.usulan.address.prompt'));
    await c.say('Jl. Melati No. 5, RT 003/RW 007, Kel. Belian');
    await c.say(locale === 'id' ? 'Janda, dua anak, kerja serabutan.' : 'Widow, two children, odd jobs.');
    expect(c.last.text).toBe(t('complaint:photo.prompt'));
    await c.choose('skip');
    expect(c.text).toContain('217110******0099');
    expectNoFullNumbers(c);
    await c.choose('send');
    const id = /ADU-\d{4}-\d{5}/.exec(c.text)?.[0];
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, id!));
    expect(row!.details).toMatchObject({ nik: UNKNOWN.nik, name: 'Rina Marlina', fromAid: true });
    expect(row!.memberId).toBeNull();
  });

  it('refuses a wrong birth date the same way whether or not the NIK exists', async () => {
    const a = await chatIn(locale);
    await a.verify(SITI.nik, '13-03-1985');
    const b = await chatIn(locale);
    await b.verify(UNKNOWN.nik, '13-03-1985');
    const other = await chatIn(locale);
    await other.verify('2171100202900009', '03-04-1991');
    expect(a.replies).toEqual(b.replies);
    expect(a.replies).toEqual(other.replies);
    // Each date disagrees with its NIK's own digits, which the answer says (issue 17): the same for all three.
    expect(a.last.text).toBe(t('aid:mismatchDate', { remaining: 4 }));
    expect(a.options).toEqual(['again', 'cmd:menu']);
    expect(a.text).not.toContain('S***');

    await a.choose('again');
    expect(a.last.text).toBe(t('aid:nik.prompt'));
  });

  it('says how many digits were typed, without counting it as a failure', async () => {
    const c = await chatIn(locale);
    await c.choose('aid');
    await c.say('2171 1052.0385-000');
    expect(c.replies[0]!.text).toBe(t('aid:nik.wrongLength', { count: 15 }));
    expect(c.replies[0]!.text).toContain('15');
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    await c.say('NIK saya 21711O5203850001');
    expect(c.replies[0]!.text).toBe(t('aid:nik.notDigits'));
    await c.say('tidak tahu');
    expect(c.replies[0]!.text).toBe(t('aid:nik.empty'));
    await c.say('1234567890123456');
    expect(c.replies[0]!.text).toBe(t('aid:nik.invalid'));
    const [contact] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, c.chatId));
    expect(contact!.failedVerifications).toBe(0);

    await c.say('2171-1052-0385-0001');
    expect(c.last.text).toBe(t('identity:kk.prompt'));
    await c.say('12345');
    expect(c.replies[0]!.text).toBe(t('identity:kk.retry'));
    await c.say('2171-1052-0385-0001');
    expect(c.replies[0]!.text).toBe(t('identity:kk.sameAsNik'));
    await c.say('2171 1002 0718 0005');
    expect(c.last.text).toBe(t('aid:birth.prompt'));
    await c.say('kemarin');
    expect(c.replies[0]!.text).toBe(t('aid:birth.retry'));
    expect(c.replies[0]!.text).toContain('12-03-1985');
    await c.say('12 Maret 1985');
    // Knowledge alone: the public view and the ways to prove it is her; no name, no desil.
    expect(c.text).toContain(t('identity:knowledge.why'));
    expect(c.text).not.toContain('Siti Aminah');
    expect(c.text).not.toContain('S*** A****');
    expect(c.options).toEqual(expect.arrayContaining(['resend', 'visit']));
  });

  it('offers a verified chat its summary again without asking', async () => {
    const c = await chatIn(locale);
    await c.verify(SITI.nik, SITI.birth);
    await c.say('menu');
    await c.choose('aid');
    expect(c.last.text).toBe(t('aid:alreadyVerified', { name: 'Siti Aminah' }));
    expect(c.options).toEqual(['again', 'other', 'cmd:menu']);
    await c.choose('again');
    expect(c.text).toContain(programName('PKH', locale));
    await c.say('menu');
    await c.choose('aid');
    await c.choose('other');
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    await c.say(AHMAD.nik);
    await c.say('2171062105120003');
    await c.say(AHMAD.birth);
    // Another person's facts from Siti's chat: only the public view of Ahmad (his program, whether active).
    expect(c.text).toContain(programName('LANSIA', locale));
    expect(c.text).toContain(t('identity:knowledge.why'));
    expect(c.text).not.toContain('A**** Y****');
  });
});

describe('birth dates as residents type them', () => {
  it.each(['12-03-1985', '12/3/1985', '12 Maret 1985', '12 march 1985', '120385', '12.03.1985'])('reads %s', async (typed) => {
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(SITI.nik, typed);
    expect(c.text).toContain('Program Keluarga Harapan');
    await c.choose('details');
    // Her own name, as she writes it: the chat proved it is hers (by the code on her registry phone).
    expect(c.text).toContain('Siti Aminah');
  });
});

describe('lockout', () => {
  it.each<Locale>(['id', 'en'])('locks the chat for an hour after five wrong birth dates (%s), then lets it in again', async (locale) => {
    const t = tr[locale];
    const c = driver(h.engine);
    await c.start(locale);
    await c.choose('aid');
    for (let remaining = 4; remaining >= 1; remaining--) {
      await c.say(SITI.nik);
      await c.say(SITI_KK);
      await c.say('01-01-1980');
      expect(c.last.text).toBe(t('aid:mismatchDate', { remaining }));
      await c.choose('again');
    }
    await c.say(SITI.nik);
    await c.say(SITI_KK);
    await c.say('01-01-1980');
    const until = new Date(h.clock().getTime() + HOUR);
    const untilText = formatDateTime(until, locale, 'Asia/Jakarta');
    expect(c.replies[0]!.text).toBe(t('aid:lockedNow', { until: untilText }));
    expect(c.replies[0]!.text).toContain(untilText);
    expect(c.last.options?.map((o) => o.id)).toContain('aid'); // back on the main menu

    // Locked: the right NIK and date do not get through, and the NIK is not even asked for.
    await c.choose('aid');
    expect(c.text).toBe(t('aid:locked', { until: untilText }));
    await c.say(SITI.nik);
    expect(c.replies[0]!.text).toBe(t('aid:locked', { until: untilText }));

    h.clock.advance(30 * 60 * 1000);
    await c.say('menu');
    await c.choose('aid');
    expect(c.text).toBe(t('aid:locked', { until: untilText }));

    // An hour later the chat may try again, with a fresh count.
    h.clock.advance(31 * 60 * 1000);
    await c.say('menu');
    await c.choose('aid');
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    await c.say(SITI.nik);
    await c.say(SITI_KK);
    await c.say('01-01-1980');
    expect(c.last.text).toBe(t('aid:mismatchDate', { remaining: 4 }));
    await c.choose('again');
    await c.say(SITI.nik);
    await c.say(SITI_KK);
    await c.say(SITI.birth);
    expect(c.text).toContain(t('identity:knowledge.why'));
    // Other tests read the clock too; give back the hour.
    h.clock.advance(-61 * 60 * 1000);
  });
});

describe('a member recorded as deceased', () => {
  it('shows no summary and offers to report the record as wrong', async () => {
    // Siti's husband; marked deceased only for this test (the last in this file to use the family).
    await h.database.db.update(members).set({ deceased: true }).where(eq(members.nik, '2171100306820001'));
    const c = driver(h.engine);
    await c.start('id');
    await c.verify('2171100306820001', '03-06-1982');
    expect(c.last.text).toBe(tr.id('aid:deceased'));
    expect(c.text).not.toContain('Program Keluarga Harapan');
    expect(c.options).toEqual(['wrong_data', 'cmd:menu']);
    await c.choose('wrong_data');
    // From a chat that is not verified: whose record it is (the NIK is already known from the check), then what happened.
    expect(c.last.text).toBe(tr.id('complaint:fields.wrong_data.subjectName.prompt'));
    await c.say('Rahmat Hidayat');
    expect(c.last.text).toBe(tr.id('complaint:fields.wrong_data.detail.prompt.died'));
    await h.database.db.update(members).set({ deceased: false }).where(eq(members.nik, '2171100306820001'));
  });
});

async function householdOf(memberId: number): Promise<number | undefined> {
  const [m] = await h.database.db.select({ householdId: members.householdId }).from(members).where(eq(members.id, memberId));
  return m?.householdId;
}
