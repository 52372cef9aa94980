import { and, asc, eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, messages } from '../../src/db/schema/index.ts';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { createI18n } from '../../src/i18n.ts';
import { driver, flowHarness, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

// Issue 17 item 7, "Identity input is unforgiving": each measured reproduction, from a fresh chat, through the
// real engine and flows. What a resident types where the NIK, the KK number or the birth date is asked.

const SITI = { nik: '2171105203850001', kk: '2171100207180005', birth: '12-03-1985' };
// Sri Wahyuni, Dewi's daughter, born 30 December 2005: a two-digit year of this century.
const SRI = { nik: '2171037012050001', kk: '2171030509160002' };
// Sixteen digits shaped like Siti's KK (a date of issue in digits 7–12) that are no family's KK.
const NO_FAMILY_KK = '2171100308180007';

let h: FlowHarness;
let tr: Record<Locale, TFunction>;

beforeAll(async () => {
  h = await flowHarness({ households: 20 });
  const i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
}, 120_000);
afterAll(() => h.dispose());

async function atNikPrompt(locale: Locale = 'id'): Promise<ChatDriver> {
  const c = driver(h.engine);
  await c.start(locale);
  await c.choose('aid');
  expect(c.last.text).toBe(tr[locale]('aid:nik.prompt'));
  return c;
}

async function contactOf(c: ChatDriver) {
  const [row] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, c.chatId));
  return row!;
}

/** The outcomes of the identity lookups this chat made, oldest first (one audit row per counted check). */
async function lookups(c: ChatDriver): Promise<string[]> {
  const { id } = await contactOf(c);
  const rows = await h.database.db
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'identity.lookup'), eq(auditLog.contactId, id)))
    .orderBy(asc(auditLog.id));
  return rows.map((r) => String(r.details?.outcome));
}

describe.each<Locale>(['id', 'en'])('the KK number typed where the NIK is asked (%s)', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  it('typed at both questions: says where the NIK is, keeps the number as the KK, and counts no try', async () => {
    const c = await atNikPrompt(locale);
    await c.say(SITI.kk);
    expect(c.last.text).toBe(t('identity:kk.prompt'));
    await c.say(SITI.kk);
    expect(c.replies[0]!.text).toBe(t('identity:kk.sameAsNik'));
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    // Bahasa Indonesia says where the NIK is on the card in the words of the issue.
    if (locale === 'id') expect(c.replies[0]!.text).toContain('NIK ada di kolom NIK, di samping nama setiap anggota keluarga');
    expect((await contactOf(c)).failedVerifications).toBe(0);

    // The NIK now; the KK number is not asked again.
    await c.say(SITI.nik);
    expect(c.last.text).toBe(t('aid:birth.prompt'));
    await c.say(SITI.birth);
    expect(c.text).toContain(t('identity:knowledge.why'));
    expect((await contactOf(c)).failedVerifications).toBe(0);
    expect(await lookups(c)).toEqual(['knowledge']);
  });

  it('typed first, with the NIK given as the KK: both used in their places, no try counted', async () => {
    const c = await atNikPrompt(locale);
    await c.say(SITI.kk);
    await c.say(SITI.nik);
    expect(c.last.text).toBe(t('aid:birth.prompt'));
    await c.say(SITI.birth);
    expect(c.replies[0]!.text).toBe(t('identity:kk.swapped'));
    expect(c.text).toContain(t('identity:knowledge.why'));
    expect(c.text).not.toContain(t('aid:mismatch', { remaining: 4 }));
    expect((await contactOf(c)).failedVerifications).toBe(0);
    expect(await lookups(c)).toEqual(['knowledge']);
  });

  it('typed after "Coba lagi", being the KK number of the chat\'s own last check: not a try', async () => {
    const c = await atNikPrompt(locale);
    await c.say(SITI.nik);
    await c.say(SITI.kk);
    await c.say('01-01-1980');
    expect(c.last.text).toBe(t('aid:mismatchDate', { remaining: 4 }));
    expect((await contactOf(c)).failedVerifications).toBe(1);
    await c.choose('again');
    await c.say(SITI.kk);
    expect(c.replies[0]!.text).toBe(t('identity:kk.typedAsNik'));
    if (locale === 'id') expect(c.replies[0]!.text).toContain('NIK ada di kolom NIK, di samping nama setiap anggota keluarga; nomor KK ada di bagian atas');
    expect(c.last.text).toBe(t('aid:nik.prompt'));
    expect((await contactOf(c)).failedVerifications).toBe(1);
    await c.say(SITI.nik);
    expect(c.last.text).toBe(t('aid:birth.prompt'));
    await c.say(SITI.birth);
    expect(c.text).toContain(t('identity:knowledge.why'));
    expect(await lookups(c)).toEqual(['mismatch', 'knowledge']);
  });
});

describe('the KK number at the NIK question: the same words for everyone', () => {
  it('answers a registered KK and sixteen digits of no family alike, without a lookup', async () => {
    const said: string[][] = [];
    for (const kk of [SITI.kk, NO_FAMILY_KK]) {
      const c = await atNikPrompt();
      await c.say(kk);
      const first = c.replies.map((r) => r.text);
      await c.say(kk);
      said.push([...first, ...c.replies.map((r) => r.text)]);
      expect(await lookups(c)).toEqual([]);
    }
    expect(said[0]).toEqual(said[1]);
  });

  it('takes the number as the NIK when the resident types it a third time', async () => {
    const c = await atNikPrompt();
    await c.say(SITI.nik);
    await c.say(SITI.nik);
    expect(c.replies[0]!.text).toBe(tr.id('identity:kk.sameAsNik'));
    await c.say(SITI.nik);
    expect(c.last.text).toBe(tr.id('identity:kk.prompt'));
    await c.say(SITI.kk);
    await c.say(SITI.birth);
    expect(c.text).toContain(tr.id('identity:knowledge.why'));
    expect(await lookups(c)).toEqual(['knowledge']);
  });
});

describe('a NIK typed where "Coba lagi" or "Cek NIK lain" is offered', () => {
  it('is taken as the NIK answer after a mismatch', async () => {
    const c = await atNikPrompt();
    await c.say(SITI.nik);
    await c.say(SITI.kk);
    await c.say('13-03-1985');
    expect(c.options).toEqual(['again', 'cmd:menu']);
    await c.say('2171 1052 0385 0001');
    expect(c.last.text).toBe(tr.id('identity:kk.prompt'));
    expect(c.text).not.toContain(tr.id('aid:nik.prompt'));
    await c.say(SITI.kk);
    await c.say(SITI.birth);
    expect(c.text).toContain(tr.id('identity:knowledge.why'));
  });

  it('says what is wrong with a NIK of the wrong length typed there, at the NIK question', async () => {
    const c = await atNikPrompt();
    await c.say(SITI.nik);
    await c.say(SITI.kk);
    await c.say('13-03-1985');
    await c.say('2171 1052 0385 000');
    expect(c.replies[0]!.text).toBe(tr.id('aid:nik.wrongLength', { count: 15 }));
    expect(c.last.text).toBe(tr.id('aid:nik.prompt'));
  });

  it('keeps what was typed there out of the history staff read', async () => {
    const c = await atNikPrompt();
    await c.say(SITI.nik);
    await c.say(SITI.kk);
    await c.say('13-03-1985');
    await c.say(`nik saya ${SITI.nik}`);
    const { id } = await contactOf(c);
    const inbound = await h.database.db
      .select({ body: messages.body })
      .from(messages)
      .where(and(eq(messages.contactId, id), eq(messages.direction, 'in')))
      .orderBy(asc(messages.id));
    expect(inbound[inbound.length - 1]!.body).not.toMatch(/\d/);
  });

  it('is taken as the next NIK after "not found"', async () => {
    const c = await atNikPrompt();
    await c.say('2171105203850099');
    await c.say(SITI.kk);
    await c.say(SITI.birth);
    expect(c.text).toContain(tr.id('aid:notFound.title'));
    await c.say(SITI.nik);
    expect(c.last.text).toBe(tr.id('identity:kk.prompt'));
  });
});

describe('a NIK or KK number inside a sentence', () => {
  it.each([`nik saya ${SITI.nik}`, 'NIK saya 2171 1052 0385 0001 pak', 'ini nik nya 2171.1052.0385.0001 ya', `NIK: ${SITI.nik}, lahir 12-03-1985`])(
    'takes %j as the NIK',
    async (typed) => {
      const c = await atNikPrompt();
      await c.say(typed);
      expect(c.last.text).toBe(tr.id('identity:kk.prompt'));
      expect(c.text).not.toContain(tr.id('aid:nik.notDigits'));
    },
  );

  it('takes the KK number out of a sentence at the KK question', async () => {
    const c = await atNikPrompt();
    await c.say(`nik saya ${SITI.nik}`);
    await c.say('no kk saya 2171 1002 0718 0005 pak');
    expect(c.last.text).toBe(tr.id('aid:birth.prompt'));
    await c.say('tgl lahir 12 maret 1985');
    expect(c.text).toContain(tr.id('identity:knowledge.why'));
  });

  it('still says a letter inside the number is not a NIK, and counts the digits of a short one', async () => {
    const c = await atNikPrompt();
    await c.say('nik saya 21711O5203850001');
    expect(c.replies[0]!.text).toBe(tr.id('aid:nik.notDigits'));
    await c.say('nik saya 2171 1052 0385 000');
    expect(c.replies[0]!.text).toBe(tr.id('aid:nik.wrongLength', { count: 15 }));
    expect((await contactOf(c)).failedVerifications).toBe(0);
  });
});

describe('birth dates in the forms residents write them', () => {
  it.each(['12-3-85', '12 mrt 1985', '12 Mar 1985', 'Batam, 12-03-1985', 'BATAM, 12 MARET 1985', 'Tempat/Tgl Lahir: Batam, 12-03-1985', '12/03/1985', '12.03.1985'])(
    'reads %j',
    async (typed) => {
      const c = driver(h.engine);
      await c.start('id');
      await c.verify(SITI.nik, typed, { knowledgeOnly: true });
      expect(c.text).toContain(tr.id('identity:knowledge.why'));
      expect(c.text).not.toContain(tr.id('aid:birth.retry'));
    },
  );

  it('reads a two-digit year of this century: 30-12-05 is 2005', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(SRI.nik, '30-12-05', { noKk: SRI.kk, knowledgeOnly: true });
    expect(c.text).toContain(tr.id('identity:knowledge.why'));
  });
});

describe.each<Locale>(['id', 'en'])('a birth date the NIK disagrees with (%s)', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  it('says the date does not match the NIK, without the date the NIK holds, and counts the try', async () => {
    const c = await atNikPrompt(locale);
    await c.say(SITI.nik);
    await c.say(SITI.kk);
    await c.say('13-03-1985');
    expect(c.last.text).toBe(t('aid:mismatchDate', { remaining: 4 }));
    expect(c.options).toEqual(['again', 'cmd:menu']);
    // Nothing of 12 March 1985 beyond what was typed.
    expect(c.text).not.toMatch(/\b12\b|Maret|March|1985|520385/);
    expect((await contactOf(c)).failedVerifications).toBe(1);
    expect(await lookups(c)).toEqual(['mismatch']);
  });

  it('keeps the plain mismatch when the date agrees with the NIK and the registry does not', async () => {
    const c = await atNikPrompt(locale);
    await c.say(SITI.nik);
    await c.say(SRI.kk); // another family's KK
    await c.say(SITI.birth);
    expect(c.last.text).toBe(t('aid:mismatch', { remaining: 4 }));
    expect(c.last.text).not.toBe(t('aid:mismatchDate', { remaining: 4 }));
    expect((await contactOf(c)).failedVerifications).toBe(1);
  });
});
