import { eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { complaints, contacts } from '../../src/db/schema/index.ts';
import { PPKS_KINDS } from '../../src/domain/vocabulary.ts';
import { readComplaintKind, reportsSomeoneInNeed } from '../../src/domain/intents/complaint-kind.ts';
import { createI18n } from '../../src/i18n.ts';
import { flowHarness, startedChat, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

// Issue 19, part 4: a resident reports someone else in need of social care (PPKS) — from the menu, or from
// their first words — with what kind of need, whether the person is in danger now, where (a shared location or
// an address), who, what is seen, and whether the reporter stays anonymous. An urgent report's answer says to
// call 112 for danger now: the office's own answer may take hours.

const TRACKING = /ADU-\d{4}-\d{5}/;
const AT = { latitude: 1.1456, longitude: 104.0305 };

let h: FlowHarness;
let tr: Record<Locale, TFunction>;

beforeAll(async () => {
  h = await flowHarness();
  const i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
}, 120_000);
afterAll(() => h.dispose());

async function rowOf(c: ChatDriver) {
  const trackingId = TRACKING.exec(c.text)?.[0];
  if (!trackingId) throw new Error(`no tracking id in: ${c.text}`);
  const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
  return { trackingId, row: row! };
}

describe.each<Locale>(['id', 'en'])('a PPKS report in %s', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  it('is reported from the menu: urgent, at a shared location, the person unknown, the reporter anonymous', async () => {
    const c = await startedChat(h.engine, locale);
    expect(c.options).toContain('ppks');
    await c.choose('ppks');
    // Straight to the questions of this kind: no list of kinds of report first.
    expect(c.replies[0]!.text).toBe(t('complaint:intro.ppks'));
    expect(c.last.text).toBe(t('complaint:fields.ppks.kind.prompt'));
    expect(c.options).toEqual([...PPKS_KINDS]);
    await c.choose('lansia_terlantar');
    expect(c.last.text).toBe(t('complaint:fields.ppks.urgent.prompt'));
    expect(c.options).toEqual(['yes', 'no']);
    await c.choose('yes');
    expect(c.last.text).toBe(t('complaint:fields.ppks.where.prompt'));
    await c.send({ kind: 'location', location: AT });
    expect(c.last.text).toBe(t('complaint:fields.ppks.who.prompt'));
    expect(c.options).toEqual(['unknown']);
    await c.choose('unknown');
    expect(c.last.text).toBe(t('complaint:fields.ppks.situation.prompt'));
    await c.say('Kakek tidur di halte sejak kemarin, tampak lemas dan belum makan.');
    expect(c.last.text).toBe(t('complaint:fields.ppks.anonymous.prompt'));
    await c.choose('yes');
    expect(c.last.text).toBe(t('complaint:photo.prompt'));
    await c.choose('skip');

    // The read-back: every answer in words, the place as a map link, and that the reporter stays hidden.
    const readBack = c.replies[0]!.text;
    expect(readBack).toContain(t('complaint:categories.ppks'));
    expect(readBack).toContain(t('complaint:fields.ppks.kind.options.lansia_terlantar'));
    expect(readBack).toContain(t('complaint:fields.ppks.urgent.options.yes'));
    expect(readBack).toContain(`https://maps.google.com/?q=${AT.latitude},${AT.longitude}`);
    expect(readBack).toContain(t('complaint:fields.ppks.who.options.unknown'));
    expect(readBack).toContain(t('complaint:confirm.anonymous'));
    await c.choose('send');

    const { trackingId, row } = await rowOf(c);
    expect(c.text).toContain(t('complaint:filed.tracking', { trackingId }));
    expect(c.text).toContain(t('complaint:filed.urgent'));
    expect(t('complaint:filed.urgent')).toContain('112');
    expect(c.text).toContain(t('complaint:filed.anonymous'));
    expect(c.text).not.toContain(t('complaint:filed.next'));
    expect(row).toMatchObject({ category: 'ppks', status: 'received', anonymous: true, urgent: true, bidang: 'Rehsos' });
    expect(row.details).toMatchObject({
      kind: 'lansia_terlantar',
      urgent: 'yes',
      where: `https://maps.google.com/?q=${AT.latitude},${AT.longitude}`,
      places: { where: AT },
      who: 'unknown',
      situation: 'Kakek tidur di halte sejak kemarin, tampak lemas dan belum makan.',
      anonymous: 'yes',
      photos: [],
    });
    // Staff read the kind of need first, then the resident's words.
    expect(row.summary.startsWith(t('complaint:fields.ppks.kind.options.lansia_terlantar'))).toBe(true);
    expect(row.summary).toContain('Kakek tidur di halte');
  });

  it('is not urgent: an address typed, a described person, no 112 and the usual deadline', async () => {
    const c = await startedChat(h.engine, locale);
    await c.choose('ppks');
    await c.choose('gelandangan_pengemis');
    // Yes or no answered in words, as elsewhere in the chat.
    await c.say(locale === 'id' ? 'tidak' : 'no');
    expect(c.last.text).toBe(t('complaint:fields.ppks.where.prompt'));
    await c.say('Depan Pasar Jodoh, Kel. Sungai Jodoh');
    await c.say('Ibu dan dua anak kecil, sekitar 30 tahun');
    await c.say('Meminta-minta di lampu merah setiap sore sejak sebulan.');
    await c.choose('no');
    await c.choose('skip');
    expect(c.replies[0]!.text).not.toContain(t('complaint:confirm.anonymous'));
    await c.choose('send');

    const { row } = await rowOf(c);
    expect(c.text).not.toContain(t('complaint:filed.urgent'));
    expect(c.text).not.toContain('112');
    expect(c.text).toMatch(new RegExp(`${escape(t('complaint:filed.next'))}|${escape(t('complaint:filed.nextBy', { due: 'DUE' })).replace('DUE', '.+')}`));
    expect(row).toMatchObject({ category: 'ppks', anonymous: false, urgent: false });
    expect(row.details).toMatchObject({ kind: 'gelandangan_pengemis', urgent: 'no', where: 'Depan Pasar Jodoh, Kel. Sungai Jodoh', who: 'Ibu dan dua anak kecil, sekitar 30 tahun', anonymous: 'no' });
    expect(row.details).not.toHaveProperty('places');
  });

  it('answers a mistyped option with the usual clear answer and keeps the report as it was', async () => {
    const c = await startedChat(h.engine, locale);
    await c.choose('ppks');
    const before = await h.database.db.select({ id: complaints.id }).from(complaints);
    // Not a label, not a number of the list: and the word of need in it does not hand the reporter to an officer.
    await c.say('lansia terlntar');
    expect(c.replies[0]!.text).toBe(t('complaint:pickOne'));
    expect(c.last.text).toBe(t('complaint:fields.ppks.kind.prompt'));
    await c.say('terlantar');
    expect(c.replies[0]!.text).toBe(t('complaint:pickOne'));
    await c.say('9');
    expect(c.last.text).toBe(t('complaint:fields.ppks.kind.prompt'));
    await c.say('1');
    expect(c.last.text).toBe(t('complaint:fields.ppks.urgent.prompt'));
    await c.say(locale === 'id' ? 'mungkin sekarat' : 'maybe starving');
    expect(c.replies[0]!.text).toBe(t('complaint:pickOne'));
    expect(c.last.text).toBe(t('complaint:fields.ppks.urgent.prompt'));
    const [contact] = await h.database.db.select({ handoverAt: contacts.handoverAt }).from(contacts).where(eq(contacts.externalId, c.chatId));
    expect(contact!.handoverAt).toBeNull();
    // A shared location where the question wants a choice.
    await c.send({ kind: 'location', location: AT });
    expect(c.replies[0]!.text).toBe(t('complaint:noLocation'));
    expect(await h.database.db.select({ id: complaints.id }).from(complaints)).toHaveLength(before.length);
  });

  it('keeps no stale coordinates when the place is changed to a typed address', async () => {
    const c = await startedChat(h.engine, locale);
    await c.choose('ppks');
    await c.choose('korban_bencana');
    await c.choose('no');
    await c.send({ kind: 'location', location: AT });
    await c.say('Keluarga Pak Darto');
    await c.say('Rumahnya terbakar tadi malam, tidur di rumah tetangga.');
    await c.choose('no');
    await c.choose('skip');
    await c.choose('change');
    await c.choose('field:where');
    expect(c.last.text).toBe(t('complaint:fields.ppks.where.prompt'));
    await c.say('Jl. Sudirman Gg. Mawar, RT 004/RW 002, Kel. Sei Panas');
    await c.choose('send');
    const { row } = await rowOf(c);
    expect(row.details).toMatchObject({ kind: 'korban_bencana', where: 'Jl. Sudirman Gg. Mawar, RT 004/RW 002, Kel. Sei Panas' });
    expect(row.details).not.toHaveProperty('places');
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the words that report someone in need', () => {
  it.each([
    'ada orang tua terlantar di jalan',
    'ada org telantar dekat rumah',
    'ada gelandangan di depan masjid',
    'ada pengemis anak di lampu merah',
    'ada anak jalanan tidur di halte',
    'mau lapor orang yang butuh bantuan',
    'tetangga sy korban kebakaran',
    'korban banjir di perumahan kami',
    'there is a homeless man at the market',
    'I want to report a beggar near the mosque',
    'a neglected old woman lives alone next door',
  ])('%j names a PPKS report', (text) => {
    expect(readComplaintKind(text)).toBe('ppks');
  });

  it.each(['bantuan saya belum diterima', 'mau lapor', 'orang tua saya', 'ada orang di depan rumah', 'bantuan banjir kapan cair', 'anak saya sakit'])(
    '%j names no PPKS report',
    (text) => {
      expect(readComplaintKind(text)).not.toBe('ppks');
    },
  );

  it.each([
    ['ada orang tua terlantar di jalan', true],
    ['there is a homeless man at the market', true],
    ['saya mau lapor ada gelandangan di depan pasar', true],
    ['I want to report a beggar near the mosque', true],
    // The writer's own need: a plea for an officer, not a report.
    ['sy gelandangan pak tolong', false],
    ['anak saya terlantar', false],
    ['I am homeless', false],
    ['we are homeless since the fire', false],
    ['saya belum makan', false],
  ] as const)('%j reports someone else in need: %s', (text, expected) => {
    expect(reportsSomeoneInNeed(text)).toBe(expected);
  });
});

describe('first words at the menu', () => {
  it.each([
    ['id', 'ada orang tua terlantar di jalan'],
    ['id', 'ada pengemis anak di lampu merah'],
    ['id', 'ada pengemis di perempatan'],
    ['id', 'mau lapor ada gelandangan di depan pasar'],
    ['en', 'there is a homeless man at the market'],
  ] as const)('in %s, %j opens a PPKS report at its first question', async (locale, text) => {
    const c = await startedChat(h.engine, locale);
    await c.say(text);
    expect(c.text).toContain(tr[locale]('complaint:intro.ppks'));
    expect(c.last.text).toBe(tr[locale]('complaint:fields.ppks.kind.prompt'));
  });

  it("a resident's own need still goes to an officer at once", async () => {
    const c = await startedChat(h.engine, 'id');
    await c.say('tolong sy tidur di jalan');
    expect(c.text).toContain(tr.id('menu:replies.urgent'));
    const [contact] = await h.database.db.select({ handoverAt: contacts.handoverAt }).from(contacts).where(eq(contacts.externalId, c.chatId));
    expect(contact!.handoverAt).not.toBeNull();
  });
});
