import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactLinks, contacts, disbursements, enrollments, households, members, outbox, programs, recipientListItems, satisfaction, sites } from '../../src/db/schema/index.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { evaluateEligibility } from '../../src/domain/eligibility.ts';
import { createI18n } from '../../src/i18n.ts';
import type { Actor } from '../../src/services/actor.ts';
import { importDisbursements, listFailed } from '../../src/services/disbursements/index.ts';
import { checkIn } from '../../src/services/distribution/checkin.ts';
import { exportList, lockList, openDraft, readList } from '../../src/services/programs/index.ts';
import { generateMonthlyReport, keptReport, monthlyFile } from '../../src/services/reports/monthly/generate.ts';
import { ikmBreakdown } from '../../src/services/satisfaction/ikm.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';
import { signedIn, type SignedIn } from '../helpers/console.ts';
import { pdfPages, pdfText } from '../helpers/pdf.ts';
import { makeEvent, makeInvitation } from '../services/distribution/fixtures.ts';
import { staffActor } from '../services/staff/fixtures.ts';

// Issue 20 end to end, on the real engine, the real console over HTTP and the real services: an admin adds a
// local program with a rule, sees what the rule would do before saving, saves it; four families are proposed,
// the head of the bidang locks the list and exports it for the SK; the bank's file says three transfers arrived
// and one failed; Siti's aid check says hers arrived; the failed family is told and is work for staff; Siti's
// ratings after her aid check and after collecting at a site count in the IKM; and the monthly report's PDF
// opens and says what the database holds.

const SITI = { nik: '2171105203850001', birth: '12-03-1985', kk: '2171100207180005' };
const AHMAD = { nik: '2171060501520002', birth: '05-01-1952', kk: '2171062105120003' };
const TZ = 'Asia/Jakarta';
const DAY = 86_400_000;
const CODE = 'BTM-RTLH';

let h: FlowHarness;
let t: TestApp;
let admin: SignedIn;
let dir: string;

beforeAll(async () => {
  h = await flowHarness({ households: 120 });
  t = await createTestApp(h.database, { clock: () => h.clock() });
  const base = await t.listen();
  const a = await staffActor(h.database.db, { role: 'admin' });
  admin = await signedIn(base, a.email, a.password);
  dir = await mkdtemp(join(tmpdir(), 'pintu-e2e-20-'));
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await t?.close();
  await h?.dispose();
});

describe('a local program from its rule to the monthly report', () => {
  it('runs the whole way', async () => {
    const db = h.database.db;
    const now = () => h.clock();
    const i18n = await createI18n('id');
    const opts = () => ({ now: now(), timeZone: TZ, i18n, defaultLocale: 'id' as const });

    // ---- 1. The admin adds the program: a monthly cash aid for desil 1–2, and sees its impact first. ------
    const form = {
      _csrf: admin.csrf,
      code: CODE,
      name: 'Bantuan Rumah Tidak Layak Huni Kota Batam',
      nameEn: 'Batam City Home Repair Aid',
      agency: 'Dinas Sosial Kota Batam',
      bidang: 'Linjamsos',
      funder: 'APBD',
      benefitType: 'cash',
      benefitAmount: '500000',
      benefitPeriod: 'month',
      unit: 'household',
      maxDesil: '2',
      targetPerYear: '400',
      requirements: 'KTP dan KK asli. Rumah milik sendiri.',
      schedule: 'Ditransfer setiap tanggal 10.',
    };
    const preview = await admin.b.post('/console/programs', { ...form, intent: 'preview' });
    expect(preview.status).toBe(200);
    const html = await preview.text();
    const gained = Number(/data-testid="impact-gained">([\d.]+)</.exec(html)?.[1]?.replace(/\./g, ''));
    // What the rule would do, counted by the pure eligibility function the aid check uses, household by household.
    const everyone = await db.select({ id: households.id, desil: households.desil }).from(households);
    const allPrograms = await db.select().from(programs);
    const local = { ...allPrograms[0]!, id: -1, code: CODE, rules: { maxDesil: 2 }, activeFrom: null, activeUntil: null };
    let expected = 0;
    for (const hh of everyone) {
      const family = await db.select({ id: members.id, birthDate: members.birthDate, disability: members.disability, deceased: members.deceased }).from(members).where(eq(members.householdId, hh.id));
      const verdict = evaluateEligibility({ desil: hh.desil, members: family, receiving: [], programs: [local], today: now().toISOString().slice(0, 10) })[0];
      if (verdict?.eligible) expected++;
    }
    expect(expected).toBeGreaterThan(4);
    expect(gained).toBe(expected);
    // Nothing saved by the preview.
    expect(await db.select().from(programs).where(eq(programs.code, CODE))).toEqual([]);
    const saved = await admin.b.post('/console/programs', { ...form, intent: 'save' });
    expect(saved.status).toBe(303);
    const [program] = await db.select().from(programs).where(eq(programs.code, CODE));
    expect(program).toMatchObject({ rules: { maxDesil: 2 }, bidang: 'Linjamsos', benefitAmount: 500000, targetPerYear: 400 });

    // ---- 2. Four families proposed: Siti's, two more of desil 1–2, and Ahmad's, whose chat is linked. -------
    const [siti] = await db.select({ householdId: households.id }).from(households).where(eq(households.noKk, SITI.kk));
    const [ahmad] = await db.select({ householdId: households.id }).from(households).where(eq(households.noKk, AHMAD.kk));
    const others = rowsOf<{ id: number; no_kk: string }>(
      await db.execute(sql`select h.id, h.no_kk from households h where h.desil <= 2 and h.no_kk not in (${SITI.kk}, ${AHMAD.kk})
        and exists (select 1 from members m where m.household_id = h.id and not m.deceased) order by h.id limit 2`),
    );
    expect(others).toHaveLength(2);
    const ahmadChat = driver(h.engine);
    await ahmadChat.start('id');
    await ahmadChat.verify(AHMAD.nik, AHMAD.birth);
    const period = now().toISOString().slice(0, 7);
    const families = [{ id: siti!.householdId, noKk: SITI.kk }, ...others.map((o) => ({ id: Number(o.id), noKk: o.no_kk })), { id: ahmad!.householdId, noKk: AHMAD.kk }];
    await db.insert(enrollments).values(families.map((f) => ({ programId: program!.id, householdId: f.id, period, status: 'proposed' as const, source: 'usulan' })));

    // ---- 3. The head of Linjamsos locks the list and exports it for the SK. ----------------------------
    const head = await staffActor(db, { role: 'supervisor', bidang: 'Linjamsos' });
    const headActor: Actor = head;
    const draft = await openDraft(db, headActor, program!.id, period, { now: now() });
    expect(draft.ok).toBe(true);
    const listId = (draft as { listId: number }).listId;
    const locked = await lockList(db, headActor, listId, { decreeNumber: '460/123/DINSOS/2026', note: '' }, { now: now() });
    expect(locked).toMatchObject({ ok: true, count: 4, total: 4 * 500000 });
    expect(await db.select().from(recipientListItems).where(eq(recipientListItems.listId, listId))).toHaveLength(4);
    const t = i18n.getFixedT('id');
    const pdf = await exportList(db, headActor, listId, 'pdf', { now: now(), timeZone: TZ, t, locale: 'id' });
    const skText = pdfText(pdf!.body);
    expect(skText).toContain('460/123/DINSOS/2026');
    expect(skText).toContain('Bantuan Rumah Tidak Layak Huni Kota Batam');
    expect(skText).not.toContain(SITI.kk);
    expect(pdfPages(pdf!.body).every((p) => p.inked > 0.005)).toBe(true);
    const xlsx = await exportList(db, headActor, listId, 'xlsx', { now: now(), timeZone: TZ, t, locale: 'id' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx!.body as never);
    const sheetRows = book.worksheets[0]!.rowCount;
    expect(sheetRows).toBeGreaterThanOrEqual(5); // the header and four families
    const view = await readList(db, headActor, listId, { now: now() });
    expect(view?.list.status).toBe('locked');

    // ---- 4. The bank's file: three transferred, one failed. ----------------------------------------------
    const failedFamily = families[3]!;
    const day = now().toISOString().slice(0, 10);
    const file = join(dir, 'bank-btm.csv');
    await writeFile(
      file,
      ['no_kk,rekening,nominal,status,tanggal,keterangan', ...families.map((f, i) => `${f.noKk},0012345678${i},500000,${i === 3 ? 'gagal' : 'berhasil'},${day},${i === 3 ? 'rekening tidak aktif' : ''}`)].join('\n') + '\n',
    );
    const imported = await importDisbursements(h.database, head, { programId: program!.id, period, source: 'Bank Riau Kepri', filePath: file, fileName: 'bank-btm.csv' }, opts());
    expect(imported.ok).toBe(true);
    const lines = await db.select().from(disbursements).where(eq(disbursements.programId, program!.id)).orderBy(asc(disbursements.lineNo));
    expect(lines.map((l) => l.status)).toEqual(['transferred', 'transferred', 'transferred', 'failed']);
    expect(lines.every((l) => l.referenceMasked?.endsWith(l.referenceMasked.slice(-4)) && !l.referenceMasked.includes('0012345678'))).toBe(true);

    // ---- 5. Siti's aid check says her transfer arrived. -------------------------------------------------
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.verify(SITI.nik, SITI.birth);
    expect(chat.last.text).toMatch(new RegExp(`Dana ${CODE} .* sudah ditransfer`));

    // ---- 6. The failed family (Ahmad's) is told once, and is work for staff. ---------------------------
    const failedContacts = await db
      .select({ contactId: contactLinks.contactId })
      .from(contactLinks)
      .innerJoin(members, eq(members.id, contactLinks.memberId))
      .where(and(eq(members.householdId, failedFamily.id)));
    expect(failedContacts.length).toBeGreaterThan(0);
    const told = await db.select().from(outbox).where(inArray(outbox.contactId, failedContacts.map((c) => c.contactId)));
    const [failedLine] = await db.select().from(disbursements).where(and(eq(disbursements.householdId, failedFamily.id), eq(disbursements.programId, program!.id)));
    expect(told.filter((o) => JSON.stringify(o.payload).includes('gagal'))).toHaveLength(1);
    expect(failedLine!.notifiedAt).not.toBeNull();
    const operator = await staffActor(db, { role: 'operator' });
    const work = await listFailed(db, operator, { workStatus: 'open' }, { now: now() });
    expect(work.map((w) => w.id)).toContain(failedLine!.id);
    const page = await (await admin.b.fetch('/console/disbursements/failed')).text();
    expect(page).toContain('rekening tidak aktif');

    // ---- 7. Ratings after the aid check and after a collection count in the IKM. --------------------------
    const sitiContact = (await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.externalId, chat.chatId)))[0]!.id;
    const [aidAsk] = await db.select().from(satisfaction).where(and(eq(satisfaction.contactId, sitiContact), eq(satisfaction.service, 'aid_check')));
    expect(aidAsk).toBeDefined();
    h.clock.advance(11 * 60_000);
    await chat.choose(`csat:${aidAsk!.id}:5`);
    await chat.choose('skip');
    // A week later Siti collects at a site; the question after it is answered 4.
    h.clock.advance(8 * DAY);
    const [site] = await db.select({ id: sites.id }).from(sites).limit(1);
    const eventDay = now().toISOString().slice(0, 10);
    const { eventId } = await makeEvent(db, { programId: program!.id, date: eventDay, slots: [{ siteId: site!.id, start: '08:00', end: '16:00', capacity: 50 }] });
    const invitation = await makeInvitation(db, { eventId, householdId: siti!.householdId, slotId: null, status: 'confirmed' });
    const officer = await staffActor(db, { role: 'admin' });
    expect(await checkIn(db, officer, { code: invitation.code, eventId, siteId: site!.id }, { now: now(), timeZone: TZ })).toMatchObject({ ok: true });
    const [collectAsk] = await db.select().from(satisfaction).where(and(eq(satisfaction.contactId, sitiContact), eq(satisfaction.service, 'collection')));
    expect(collectAsk).toMatchObject({ siteId: site!.id, bidang: 'Linjamsos', programId: program!.id });
    h.clock.advance(11 * 60_000);
    await chat.choose(`csat:${collectAsk!.id}:4`);
    await chat.choose('skip');
    const answered = await db.select({ service: satisfaction.service, score: satisfaction.score }).from(satisfaction).where(and(eq(satisfaction.contactId, sitiContact), isNotNull(satisfaction.score))).orderBy(asc(satisfaction.id));
    expect(answered).toEqual([
      { service: 'aid_check', score: 5 },
      { service: 'collection', score: 4 },
    ]);
    const monthStart = new Date(`${period}-01T00:00:00+07:00`);
    const cityAdmin: Actor = officer;
    const byService = await ikmBreakdown(db, cityAdmin, { from: monthStart, to: new Date(now().getTime() + DAY) }, 'service', { timeZone: TZ });
    expect(byService.find((g) => g.key === 'aid_check')?.figure).toMatchObject({ count: 1, ikm: 100 });
    expect(byService.find((g) => g.key === 'collection')?.figure).toMatchObject({ count: 1, ikm: 80 });

    // ---- 8. The monthly report: kept, its PDF opens and its figures are the database's. -------------------
    const reportMonth = now().toISOString().slice(0, 7);
    const generated = await generateMonthlyReport(db, null, reportMonth, { now: now(), timeZone: TZ, locale: 'id', t });
    expect(generated.ok).toBe(true);
    const kept = await keptReport(db, cityAdmin, reportMonth);
    expect(kept).not.toBeNull();
    const file2 = await monthlyFile(db, cityAdmin, reportMonth, 'pdf', { now: now(), timeZone: TZ, locale: 'id', t });
    expect(file2.ok).toBe(true);
    const body = (file2 as { bytes: Uint8Array }).bytes;
    const pages = pdfPages(body);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(p.inked).toBeGreaterThan(0.002);
    const text = pdfText(body);
    const figures = (generated as { figures: { programs: { code: string; total: { enrolled: number; validated: number } }[] } }).figures;
    const local20 = figures.programs.find((p) => p.code === CODE)!;
    const [enrolledInDb] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from enrollments where program_id = ${program!.id} and status <> 'ended'`));
    expect(local20.total.enrolled).toBe(Number(enrolledInDb!.n));
    expect(text).toContain('Bantuan Rumah Tidak Layak Huni Kota Batam');
    expect(text).toMatch(/400/); // the yearly target beside the four enrolled
  }, 240_000);
});
