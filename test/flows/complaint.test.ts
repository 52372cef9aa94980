import { eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { complaintEvents, complaints } from '../../src/db/schema/index.ts';
import { COMPLAINT_CATEGORIES } from '../../src/domain/vocabulary.ts';
import { formatDate, todayIn } from '../../src/domain/dates.ts';
import { createI18n } from '../../src/i18n.ts';
import { lastCodeSentTo } from '../helpers/codes.ts';
import { driver, flowHarness, startedChat, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };
const TRACKING = /ADU-\d{4}-\d{5}/;

type Category = (typeof COMPLAINT_CATEGORIES)[number];

let h: FlowHarness;
let tr: Record<Locale, TFunction>;

beforeAll(async () => {
  h = await flowHarness();
  const i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
}, 120_000);
afterAll(() => h.dispose());

const chatIn = (locale: Locale): Promise<ChatDriver> => startedChat(h.engine, locale);

/** The answers each kind of report needs, as a resident gives them: a button id or typed text. */
const ANSWERS: Record<Category, ({ choice: string } | { text: string })[]> = {
  usulan: [{ choice: 'other' }, { text: 'Rahmat Hidayat' }, { choice: 'unknown' }, { text: 'Jl. Melati No. 5, RT 003/RW 007, Kel. Belian' }, { text: 'Buruh harian, empat anak, rumah bocor.' }],
  sanggahan: [{ choice: 'yes' }, { text: 'Bapak Anton, Jl. Kenanga RT 002/RW 004, Kel. Sadai' }, { text: 'PKH' }, { text: 'Punya dua mobil dan rumah besar.' }],
  // From an unverified chat, reports about data and aid first ask whose: the name, and the NIK if known.
  not_received: [{ text: 'Siti Aminah' }, { text: 'Sembako' }, { choice: 'cut' }, { text: 'November 2026, hanya menerima Rp150.000' }],
  site_too_far: [{ text: 'Kantor Camat Batam Kota' }, { text: 'Kantor Lurah Belian' }],
  wrong_data: [{ text: 'Ahmad Yani' }, { choice: 'died' }, { text: 'Ahmad, ayah, meninggal Juni 2026' }],
  service: [{ text: 'Antrean lama, petugas tidak menjelaskan syarat.' }, { text: 'Kantor Lurah Belian, Senin pagi' }],
  other: [{ text: 'Nomor telepon kantor kelurahan tidak bisa dihubungi.' }],
  // Someone else in need: kind, in danger now, where, who, what is seen, and the reporter kept confidential.
  ppks: [{ choice: 'lansia_terlantar' }, { choice: 'no' }, { text: 'Depan Pasar Jodoh, Kel. Sungai Jodoh' }, { choice: 'unknown' }, { text: 'Tidur di emperan toko sejak seminggu, tampak sakit.' }, { choice: 'yes' }],
};

async function answer(c: ChatDriver, a: { choice: string } | { text: string }) {
  if ('choice' in a) await c.choose(a.choice);
  else await c.say(a.text);
}

async function file(c: ChatDriver, category: Category): Promise<string> {
  await c.choose('complaint');
  await c.choose(category);
  for (const a of ANSWERS[category]) await answer(c, a);
  await c.choose('skip');
  await c.choose('send');
  const id = TRACKING.exec(c.text)?.[0];
  if (!id) throw new Error(`no tracking id in: ${c.text}`);
  return id;
}

async function askStatus(c: ChatDriver, trackingId: string) {
  await c.say('menu');
  await c.choose('status');
  await c.say(trackingId);
}

describe.each<Locale>(['id', 'en'])('pengaduan in %s', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  it('offers every category and a way back to the menu', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    expect(c.options).toEqual([...COMPLAINT_CATEGORIES, 'cmd:menu']);
    await c.say('whatever');
    expect(c.replies[0]!.text).toBe(t('complaint:category.retry'));
  });

  it.each([...COMPLAINT_CATEGORIES])('files a %s report with a tracking ID, visible from this chat only', async (category) => {
    const c = await chatIn(locale);
    const trackingId = await file(c, category);
    expect(trackingId).toMatch(/^ADU-\d{4}-\d{5}$/);
    expect(c.text).toContain(t('complaint:filed.tracking', { trackingId }));
    expect(c.text).toContain(t('complaint:filed.howToCheck', { trackingId }));

    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
    expect(row!.category).toBe(category);
    expect(row!.status).toBe('received');
    expect(row!.summary.length).toBeGreaterThan(0);
    expect(row!.anonymous).toBe(category === 'sanggahan' || category === 'ppks');

    await askStatus(c, trackingId.toLowerCase().replace(/-/g, ' '));
    expect(c.text).toContain(trackingId);
    expect(c.text).toContain(t('complaint:statuses.received'));
    expect(c.text).toContain(t(`complaint:categories.${category}`));

    const stranger = await chatIn(locale);
    await askStatus(stranger, trackingId);
    // The same answer as for a number that does not exist, and the NIK question at once: it may be hers.
    expect(stranger.replies.map((r) => r.text)).toEqual([t('complaint:status.notFound', { trackingId }), t('aid:nik.prompt')]);
    expect(stranger.options).toEqual(['again', 'cmd:menu']);
  });

  it('asks one question at a time and reads the report back before sending', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('wrong_data');
    expect(c.text).toContain(t('complaint:intro.wrong_data'));
    expect(c.last.text).toBe(t('complaint:fields.wrong_data.subjectName.prompt'));
    await c.say('Nur Aisyah');
    expect(c.last.text).toBe(t('complaint:fields.wrong_data.what.prompt'));
    expect(c.options).toEqual(['name', 'address', 'died', 'moved', 'condition', 'other']);
    await c.say('terserah');
    expect(c.replies[0]!.text).toBe(t('complaint:pickOne'));
    await c.say('4'); // "moved", by its number
    expect(c.last.text).toBe(t('complaint:fields.wrong_data.detail.prompt.moved'));
    await c.say('ok');
    expect(c.replies[0]!.text).toBe(t('complaint:tooShort'));
    await c.say('Nur Aisyah pindah ke Pekanbaru sejak Maret 2026');
    expect(c.last.text).toBe(t('complaint:photo.prompt'));

    // A photo (with its caption) is kept as metadata; a second one too; then on.
    await c.send({ kind: 'photo', text: 'surat pindah', media: { mimeType: 'image/jpeg', size: 12345, ref: 'file-1' } });
    expect(c.last.text).toBe(t('complaint:photo.more', { count: 1, max: 3 }));
    await c.say('halo apa kabar');
    expect(c.replies[0]!.text).toBe(t('complaint:photo.retry'));
    await c.send({ kind: 'photo', media: { mimeType: 'image/png', size: 999, ref: 'file-2' } });
    await c.choose('done');
    expect(c.replies[0]!.text).toContain(t('complaint:fields.wrong_data.what.options.moved'));
    expect(c.replies[0]!.text).toContain('Nur Aisyah pindah ke Pekanbaru');
    expect(c.options).toEqual(['send', 'change', 'cancel']);

    // Change the detail only.
    await c.choose('change');
    expect(c.options).toEqual(['field:subjectName', 'field:what', 'field:detail', 'photo', 'category', 'back']);
    await c.choose('field:detail');
    expect(c.last.text).toBe(t('complaint:fields.wrong_data.detail.prompt.moved'));
    await c.say('Nur Aisyah pindah ke Tanjungpinang sejak April 2026');
    expect(c.replies[0]!.text).toContain('Tanjungpinang');
    await c.choose('send');
    const trackingId = TRACKING.exec(c.text)![0];
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
    expect(row!.details).toMatchObject({
      what: 'moved',
      detail: 'Nur Aisyah pindah ke Tanjungpinang sejak April 2026',
      photos: [
        { kind: 'photo', mimeType: 'image/jpeg', size: 12345, ref: 'file-1', caption: 'surat pindah' },
        { kind: 'photo', mimeType: 'image/png', size: 999, ref: 'file-2' },
      ],
    });
    expect(row!.summary).toContain('Tanjungpinang');
  });

  it('sends nothing when cancelled', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('other');
    await c.say('Laporan percobaan yang dibatalkan');
    await c.choose('skip');
    const before = await h.database.db.select().from(complaints);
    await c.choose('cancel');
    expect(c.replies[0]!.text).toBe(t('complaint:confirm.cancelled'));
    expect(await h.database.db.select().from(complaints)).toHaveLength(before.length);
  });

  it('asks whether a sanggahan is anonymous and keeps it so', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('sanggahan');
    expect(c.last.text).toBe(t('complaint:fields.sanggahan.anonymous.prompt'));
    expect(c.options).toEqual(['yes', 'no']);
    await c.choose('no');
    await c.say('Ibu Sari, RT 001/RW 002, Kel. Sadai');
    await c.choose('unknown');
    await c.say('Suaminya pegawai tetap di pabrik.');
    await c.choose('skip');
    expect(c.text).not.toContain(t('complaint:confirm.anonymous'));
    await c.choose('send');
    const trackingId = TRACKING.exec(c.text)![0];
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
    expect(row!.anonymous).toBe(false);
    expect(row!.details).toMatchObject({ anonymous: 'no', program: 'unknown' });
  });

  it('shows status in words, the due date, and the last staff message', async () => {
    const c = await chatIn(locale);
    const trackingId = await file(c, 'service');
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
    await askStatus(c, trackingId);
    expect(c.text).toContain(t('complaint:statuses.received'));
    expect(c.text).toContain(t('complaint:status.verifyDue', { due: formatDate(todayIn('Asia/Jakarta', row!.verifyDueAt!), locale) }));

    await h.database.db.update(complaints).set({ status: 'answered', updatedAt: h.clock() }).where(eq(complaints.id, row!.id));
    await h.database.db.insert(complaintEvents).values({ complaintId: row!.id, kind: 'message_out', body: 'Mohon maaf, antrean akan kami perbaiki.' });
    await c.choose('again');
    // This chat's own reports are listed; typing the number still works.
    expect(c.replies[0]!.text).toBe(t('complaint:status.listHeader'));
    expect(c.options).toContain(`report:${trackingId}`);
    await c.say(trackingId);
    expect(c.text).toContain(t('complaint:statuses.answered'));
    expect(c.text).toContain(t('complaint:status.staffMessage', { message: 'Mohon maaf, antrean akan kami perbaiki.' }));
    expect(c.options).toEqual(['again', 'cmd:menu']);
  });

  it('explains the form of a tracking ID when what was typed is not one', async () => {
    const c = await chatIn(locale);
    await c.choose('status');
    expect(c.last.text).toBe(t('complaint:status.prompt'));
    await c.say('nomor saya lupa');
    expect(c.replies[0]!.text).toBe(t('complaint:status.badFormat'));
    expect(c.replies[0]!.text).toContain('ADU-2611-00042');
  });
});

describe('what else a resident may send', () => {
  it('takes a shared location for "where is nearer", and only there', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.choose('complaint');
    await c.choose('site_too_far');
    await c.send({ kind: 'location', location: { latitude: 1.12, longitude: 104.06 } });
    expect(c.replies[0]!.text).toBe(tr.id('complaint:noLocation'));
    await c.say('Kantor Camat Batam Kota');
    await c.send({ kind: 'location', location: { latitude: 1.12, longitude: 104.06 } });
    expect(c.last.text).toBe(tr.id('complaint:photo.prompt'));
    await c.send({ kind: 'document', media: { mimeType: 'application/pdf', fileName: 'surat.pdf', size: 2048 } });
    await c.say('lewati');
    expect(c.text).toContain('https://maps.google.com/?q=1.12,104.06');
    await c.choose('send');
    const trackingId = TRACKING.exec(c.text)![0];
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
    expect(row!.details).toMatchObject({ nearer: 'https://maps.google.com/?q=1.12,104.06', photos: [{ kind: 'document', fileName: 'surat.pdf' }] });
  });

  it('answers a voice note or sticker at a question without losing the report', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.choose('complaint');
    await c.choose('other');
    await c.send({ kind: 'voice' });
    expect(c.replies[0]!.text).toBe(tr.id('chat:pleaseType'));
    expect(c.last.text).toBe(tr.id('complaint:fields.other.what.prompt'));
    await c.send({ kind: 'sticker' });
    expect(c.last.text).toBe(tr.id('complaint:fields.other.what.prompt'));
    // A message past 4,000 characters keeps what fits and says so (test/flows/complaint-words.test.ts).
    await c.say('x'.repeat(5000));
    expect(c.replies[0]!.text).toBe(tr.id('complaint:long.cut', { limit: '4.000' }));
    await c.choose('done');
    expect(c.last.text).toBe(tr.id('complaint:photo.prompt'));
  });
});

describe('status from another chat after the identity check', () => {
  it('shows a verified resident the report filed from their other chat', async () => {
    const phone = driver(h.engine);
    await phone.start('id');
    await phone.verify(SITI.nik, SITI.birth);
    await phone.say('menu');
    const trackingId = await file(phone, 'site_too_far');
    const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
    expect(row!.memberId).not.toBeNull();
    expect(row!.invitationId).not.toBeNull(); // her upcoming invitation, so staff see which site

    const laptop = driver(h.engine);
    await laptop.start('id');
    await askStatus(laptop, trackingId);
    // Not this chat's: the NIK question at once, and the identity check comes back to the status asked for.
    expect(laptop.last.text).toBe(tr.id('aid:nik.prompt'));
    await laptop.say(SITI.nik);
    await laptop.say('2171100207180005');
    h.clock.advance(61_000);
    await laptop.say(SITI.birth);
    // The facts alone show no report; the code on her registry phone proves the laptop is hers.
    expect(laptop.text).not.toContain(trackingId);
    // The code went to her registry phone with the answer to the date.
    expect(laptop.options).toContain('resend');
    await laptop.say((await lastCodeSentTo(h.database.db))!);
    expect(laptop.text).toContain(tr.id('identity:linked.code'));
    expect(laptop.text).toContain(trackingId);
    expect(laptop.text).toContain(tr.id('complaint:statuses.received'));
  });
});
