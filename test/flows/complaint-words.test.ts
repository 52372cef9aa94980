import { desc, eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintEvents, complaints, contacts } from '../../src/db/schema/index.ts';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { createI18n } from '../../src/i18n.ts';
import { maskIdNumber } from '../../src/domain/mask.ts';
import type { Actor } from '../../src/services/actor.ts';
import { closeComplaint, replyToResident, verifyComplaint } from '../../src/services/complaints/lifecycle.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { flowHarness, startedChat, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

// Issue 17, item 8: a report keeps the resident's words, is not dropped by a stray "halo", takes "ya" for
// "send", is not reopened by a thank-you, can be found again without its number, and says whose data it is.

const TRACKING = /ADU-\d{4}-\d{5}/;
const SITI = { nik: '2171105203850001', birth: '12-03-1985' };

let h: FlowHarness;
let tr: Record<Locale, TFunction>;
let admin: Actor;

beforeAll(async () => {
  h = await flowHarness({ households: 30 });
  const i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
  const { id } = await createStaffUser(h.database.db, 'system', { email: 'admin-words@test.local', name: 'Admin', role: 'admin' });
  admin = { kind: 'staff', id, role: 'admin', kecamatanId: null, bidang: null };
}, 120_000);
afterAll(() => h.dispose());

const chatIn = (locale: Locale): Promise<ChatDriver> => startedChat(h.engine, locale);

async function row(trackingId: string) {
  const [r] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId));
  return r!;
}

function trackingOf(c: ChatDriver): string {
  const id = TRACKING.exec(c.text)?.[0];
  if (!id) throw new Error(`no tracking id in: ${c.text}`);
  return id;
}

/** Words that read as a letter count, not as one repeated character: "kata1 kata2 …". */
function words(n: number, tag = 'w'): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${tag}${i} `;
  return s.slice(0, n - 1) + '.';
}

const count = (locale: Locale, n: number) => new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-US').format(n);

describe.each<Locale>(['id', 'en'])('long reports in %s', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  it('keeps a 3,000-character description whole', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('other');
    const text = words(3000);
    await c.say(text);
    expect(c.last.text).toBe(t('complaint:photo.prompt'));
    await c.choose('skip');
    await c.say(locale === 'id' ? 'ya' : 'yes');
    const r = await row(trackingOf(c));
    expect(r.details.what).toBe(text);
    expect(r.summary).toBe(text);
  });

  it('says so when a message passes 4,000 characters, and joins the rest sent next', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('service');
    const text = words(4600);
    await c.say(text);
    expect(c.replies[0]!.text).toBe(t('complaint:long.cut', { limit: count(locale, 4000) }));
    expect(c.last.text).toBe(t('complaint:long.more'));
    expect(c.options).toEqual(['done']);
    const rest = Array.from(text).slice(4000).join('');
    await c.say(rest);
    // On to the next question, with both parts kept as one answer.
    expect(c.last.text).toBe(t('complaint:fields.service.where.prompt'));
    await c.say('Kantor Lurah Belian, Senin pagi');
    await c.choose('skip');
    await c.choose('send');
    const r = await row(trackingOf(c));
    const what = r.details.what as string;
    expect(what.replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    expect(r.summary).toContain(what);
    expect(r.summary).toContain('Kantor Lurah Belian');
  });

  it('takes "Lanjut" when there is no more, and stops at 12,000 characters over several messages', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('other');
    await c.say(words(4500, 'a'));
    await c.choose('done');
    expect(c.last.text).toBe(t('complaint:photo.prompt'));

    const d = await chatIn(locale);
    await d.choose('complaint');
    await d.choose('other');
    await d.say(words(5000, 'a'));
    await d.say(words(5000, 'b'));
    expect(d.replies[0]!.text).toBe(t('complaint:long.cut', { limit: count(locale, 4000) }));
    await d.say(words(5000, 'c'));
    expect(d.replies[0]!.text).toBe(t('complaint:long.full', { limit: count(locale, 12000) }));
    expect(d.last.text).toBe(t('complaint:photo.prompt'));
    await d.choose('skip');
    await d.choose('send');
    const what = (await row(trackingOf(d))).details.what as string;
    expect(Array.from(what).length).toBeLessThanOrEqual(12000);
    expect(Array.from(what).length).toBeGreaterThan(11900);
    expect(what).toContain('c0 ');
  });
});

describe.each<Locale>(['id', 'en'])('leaving a draft in %s', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);
  const discardOptions = ['discard', 'keep'];

  it.each(['halo', 'menu', 'batal', 'cancel', 'kembali'])('asks before "%s" drops a report being written, and goes on where it was', async (word) => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('service');
    await c.say('Petugas loket tidak menjelaskan syarat dan antrean lama sekali.');
    expect(c.last.text).toBe(t('complaint:fields.service.where.prompt'));
    await c.say(word);
    expect(c.text).toBe(t('complaint:discard.prompt'));
    expect(c.options).toEqual(discardOptions);
    await c.choose('keep');
    expect(c.last.text).toBe(t('complaint:fields.service.where.prompt'));
    await c.say('Kantor Lurah Belian, Senin pagi');
    await c.choose('skip');
    expect(c.text).toContain('Petugas loket tidak menjelaskan syarat');
    await c.choose('send');
    expect(c.text).toMatch(TRACKING);
  });

  it('drops the draft on "Ya, batalkan" or a typed yes, and files nothing', async () => {
    const before = (await h.database.db.select({ id: complaints.id }).from(complaints)).length;
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('other');
    await c.say('Nomor telepon kantor kelurahan tidak bisa dihubungi.');
    // At the photo question.
    await c.say('batal');
    expect(c.text).toBe(t('complaint:discard.prompt'));
    await c.say(locale === 'id' ? 'ya' : 'yes');
    expect(c.replies[0]!.text).toBe(t('complaint:discard.done'));
    // Said how it ended, the menu asks whether there is anything else.
    expect(c.last.text).toBe(t('menu:promptAgain'));

    const d = await chatIn(locale);
    await d.choose('complaint');
    await d.choose('other');
    await d.say('Nomor telepon kantor kelurahan tidak bisa dihubungi.');
    await d.choose('skip');
    // At the read-back.
    await d.say('halo');
    expect(d.text).toBe(t('complaint:discard.prompt'));
    await d.say(locale === 'id' ? 'tidak' : 'no');
    expect(d.last.text).toBe(t('complaint:confirm.question'));
    await d.say('menu');
    await d.choose('discard');
    expect(d.last.text).toBe(t('menu:promptAgain'));
    expect((await h.database.db.select({ id: complaints.id }).from(complaints)).length).toBe(before);
  });

  it('asks at the change screen too, where "kembali" goes back to the read-back', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('other');
    await c.say('Nomor telepon kantor kelurahan tidak bisa dihubungi.');
    await c.choose('skip');
    await c.choose('change');
    await c.say('kembali');
    expect(c.last.text).toBe(t('complaint:confirm.question'));
    await c.choose('change');
    await c.say('menu');
    expect(c.text).toBe(t('complaint:discard.prompt'));
    await c.choose('keep');
    expect(c.last.text).toBe(t('complaint:edit.prompt'));
  });

  it('leaves at once where no report has begun yet', async () => {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.say('halo');
    expect(c.last.text).toBe(t('menu:prompt'));
    expect(c.text).not.toContain(t('complaint:discard.prompt'));
  });
});

describe.each<Locale>(['id', 'en'])('"Kirim laporan ini?" in %s', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  async function atReadBack(): Promise<ChatDriver> {
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('other');
    await c.say('Nomor telepon kantor kelurahan tidak bisa dihubungi.');
    await c.choose('skip');
    expect(c.last.text).toBe(t('complaint:confirm.question'));
    return c;
  }

  it.each(['ya', 'ok', 'ok kirim', 'kirim', 'iya', 'yes', 'send', 'benar', 'Iya pak', '👍'])('sends on "%s"', async (word) => {
    const c = await atReadBack();
    await c.say(word);
    expect(c.text).toMatch(TRACKING);
    expect((await row(trackingOf(c))).status).toBe('received');
  });

  it.each(['tidak', 'ubah', 'no'])('opens the changes on "%s"', async (word) => {
    const c = await atReadBack();
    await c.say(word);
    expect(c.last.text).toBe(t('complaint:edit.prompt'));
  });
});

describe('a thank-you after the officer answered', () => {
  async function answered(): Promise<{ c: ChatDriver; id: number; trackingId: string }> {
    const c = await chatIn('id');
    await c.choose('complaint');
    await c.choose('other');
    await c.say('Bantuan PKH bulan ini belum masuk ke rekening saya.');
    await c.choose('skip');
    await c.choose('send');
    const trackingId = trackingOf(c);
    const r = await row(trackingId);
    expect((await verifyComplaint(h.database.db, admin, r.id, { now: h.clock() })).ok).toBe(true);
    expect((await replyToResident(h.database.db, admin, r.id, { text: 'Bantuan Ibu cair minggu depan.', now: h.clock() })).ok).toBe(true);
    return { c, id: r.id, trackingId };
  }

  it('keeps "baik pak terima kasih infonya" with the report, leaves it answered, and the officer closes it', async () => {
    const { c, id, trackingId } = await answered();
    const before = await row(trackingId);
    await c.say('menu');
    await c.say('baik pak terima kasih infonya');
    const after = await row(trackingId);
    expect(after.status).toBe('answered');
    expect(after.answerDueAt).toEqual(before.answerDueAt);
    expect(after.autoCloseAt).toEqual(before.autoCloseAt);
    // The menu may answer the thanks itself or join it to the report (services/complaints residentReplied,
    // test/services/complaints/resident-replied.test.ts); either way nothing changed the report's status.
    const changes = await h.database.db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, id)).orderBy(desc(complaintEvents.id));
    expect(changes.filter((e) => e.kind === 'status_change').map((e) => e.toStatus)).toEqual(['answered', 'verified']);
    expect(await closeComplaint(h.database.db, admin, id, { now: h.clock() })).toMatchObject({ ok: true });
  });

  it('reopens on "masih belum selesai pak"', async () => {
    const { c, trackingId } = await answered();
    await c.say('menu');
    await c.say('masih belum selesai pak');
    expect((await row(trackingId)).status).toBe('reopened');
  });
});

describe.each<Locale>(['id', 'en'])('"Cek status" in %s', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  async function fileOther(c: ChatDriver, text: string): Promise<string> {
    await c.choose('complaint');
    await c.choose('other');
    await c.say(text);
    await c.choose('skip');
    await c.choose('send');
    const id = trackingOf(c);
    await c.say('menu');
    return id;
  }

  it("lists this chat's own reports, newest first, each a button", async () => {
    const c = await chatIn(locale);
    const first = await fileOther(c, 'Lampu jalan di depan kantor kelurahan mati.');
    await c.choose('complaint');
    await c.choose('service');
    await c.say('Antrean lama, petugas tidak menjelaskan syarat.');
    await c.say('Kantor Lurah Belian');
    await c.choose('skip');
    await c.choose('send');
    const second = trackingOf(c);
    await c.say('menu');

    await c.choose('status');
    expect(c.replies[0]!.text).toBe(t('complaint:status.listHeader'));
    const lines = c.last.text.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(second);
    expect(lines[0]).toContain(t('complaint:categories.service'));
    expect(lines[0]).toContain(t('complaint:statusesShort.received'));
    expect(lines[0]).toContain(String(h.clock().getFullYear()));
    expect(lines[1]).toContain(first);
    expect(c.options).toEqual([`report:${second}`, `report:${first}`, 'cmd:menu']);
    expect(c.replies[0]!.text.length).toBeLessThanOrEqual(400);

    await c.choose(`report:${first}`);
    expect(c.text).toContain(first);
    expect(c.text).toContain(t('complaint:statuses.received'));

    // Its number in the list picks it too.
    await c.choose('again');
    await c.say('1');
    expect(c.text).toContain(second);
    expect(c.text).toContain(t('complaint:categories.service'));
  });

  it('takes a number typed inside a sentence', async () => {
    const c = await chatIn(locale);
    const id = await fileOther(c, 'Lampu jalan di depan kantor kelurahan mati.');
    await c.choose('status');
    await c.say(`status ${id} gimana`);
    expect(c.text).toContain(t('complaint:statuses.received'));
    expect(c.text).toContain(id);
    await c.say(`kalau ${id.toLowerCase()} bagaimana?`);
    expect(c.text).toContain(id);
    expect(c.text).not.toContain(t('chat:notUnderstood'));
  });

  it('asks for the number when the chat has filed nothing, and lists only five', async () => {
    const c = await chatIn(locale);
    await c.choose('status');
    expect(c.last.text).toBe(t('complaint:status.prompt'));
    expect(c.options).toEqual(['cmd:menu']);

    const many = await chatIn(locale);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await fileOther(many, `Laporan nomor ${i + 1} tentang lampu jalan.`));
    await many.choose('status');
    expect(many.options).toEqual([...ids.slice(1).reverse().map((id) => `report:${id}`), 'cmd:menu']);
  });
});

describe('whose data, from an unverified chat', () => {
  it.each<Locale>(['id', 'en'])('asks the name, with the NIK after it when known, for a data correction, in %s', async (locale) => {
    const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);
    const c = await chatIn(locale);
    await c.choose('complaint');
    await c.choose('wrong_data');
    expect(c.last.text).toBe(t('complaint:fields.wrong_data.subjectName.prompt'));
    // A number that is not a NIK is said so; a NIK without a name asks for the name.
    await c.say('Siti Aminah 21711052038500');
    expect(c.replies[0]!.text).toBe(tr[locale]('aid:nik.wrongLength', { count: 14 }));
    await c.say('2171105203850001');
    expect(c.replies[0]!.text).toBe(t('complaint:subject.nameMissing'));
    await c.say('Siti Aminah, NIK 2171 1052 0385 0001');
    expect(c.last.text).toBe(t('complaint:fields.wrong_data.what.prompt'));
    await c.choose('name');
    await c.say('Tercatat Siti Amina, yang benar Siti Aminah.');
    await c.choose('skip');
    expect(c.text).toContain(`Siti Aminah, NIK ${maskIdNumber('2171105203850001')}`);
    expect(c.text).not.toContain('2171105203850001');
    await c.choose('send');
    const r = await row(trackingOf(c));
    expect(r.memberId).toBeNull();
    expect(r.details).toMatchObject({ subjectName: 'Siti Aminah', subjectNik: '2171105203850001', what: 'name' });
    expect(r.summary.startsWith(t('complaint:summary.subject', { name: 'Siti Aminah', nik: maskIdNumber('2171105203850001') }))).toBe(true);
    expect(r.summary).not.toContain('2171105203850001');
  });

  it('asks whose aid did not arrive; the name alone is enough', async () => {
    const c = await chatIn('id');
    await c.choose('complaint');
    await c.choose('not_received');
    expect(c.last.text).toBe(tr.id('complaint:fields.not_received.subjectName.prompt'));
    await c.say('Ahmad Yani');
    expect(c.last.text).toBe(tr.id('complaint:fields.not_received.program.prompt'));
    await c.say('Sembako');
    await c.choose('none');
    await c.say('November 2026');
    await c.choose('skip');
    // Changing the name asks it again, NIK and all.
    await c.choose('change');
    await c.choose('field:subjectName');
    expect(c.last.text).toBe(tr.id('complaint:fields.not_received.subjectName.prompt'));
    await c.say('Ahmad Yani bin Umar');
    await c.choose('send');
    const r = await row(trackingOf(c));
    expect(r.details).toMatchObject({ subjectName: 'Ahmad Yani bin Umar', subjectNik: 'unknown' });
    expect(r.summary).toContain(tr.id('complaint:summary.subject', { name: 'Ahmad Yani bin Umar', nik: tr.id('complaint:summary.nikUnknown') }));
  });

  it('does not ask a verified chat, whose report is about its own family', async () => {
    const c = await chatIn('id');
    await c.verify(SITI.nik, SITI.birth);
    await c.say('menu');
    await c.choose('complaint');
    await c.choose('wrong_data');
    expect(c.last.text).toBe(tr.id('complaint:fields.wrong_data.what.prompt'));
    const [contact] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, c.chatId));
    expect(contact!.memberId).not.toBeNull();
  });
});
