import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, faqEntries } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { listFaqEntries, saveFaqEntry, setFaqActive } from '../../../src/services/faq/entries.ts';
import { faqForResident } from '../../../src/services/faq/for-residents.ts';
import { faqProblems } from '../../../src/services/faq/rules.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor } from '../staff/fixtures.ts';

// The FAQ entries staff keep per language (issue 18): checks before anything is written, upsert of a
// built-in topic, a new topic refused when its key is taken, hide/show, the audit, and what a resident gets.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

const ok = { key: 'kartu-hilang', language: 'id', title: 'Kartu KKS hilang', answer: 'Mohon lapor ke bank penyalur.' };

describe('FAQ entry checks', () => {
  it('refuses a bad key, language, empty or over-long title and answer, and accepts the limits', () => {
    expect(faqProblems(ok)).toEqual([]);
    expect(faqProblems({ ...ok, title: 'x'.repeat(80), answer: 'y'.repeat(3000) })).toEqual([]);
    expect(faqProblems({ ...ok, title: 'x'.repeat(81), answer: 'y'.repeat(3001) })).toEqual([
      { field: 'title', problem: 'too_long' },
      { field: 'answer', problem: 'too_long' },
    ]);
    expect(faqProblems({ ...ok, title: '  ', answer: '' })).toEqual([
      { field: 'title', problem: 'empty' },
      { field: 'answer', problem: 'empty' },
    ]);
    for (const key of ['Kartu', 'kartu hilang', 'kartu--hilang', '-kartu', 'kartu_hilang', '', 'a'.repeat(41), '<b>']) {
      expect(faqProblems({ ...ok, key }), key).toEqual([{ field: 'key', problem: 'invalid' }]);
    }
    expect(faqProblems({ ...ok, key: 'office' })).toEqual([{ field: 'key', problem: 'reserved' }]);
    expect(faqProblems({ ...ok, language: 'fr' })).toEqual([{ field: 'language', problem: 'invalid' }]);
  });
});

describe('FAQ entries', () => {
  it('needs settings.manage for every read and write', async () => {
    const supervisor = await staffActor(database.db, { role: 'supervisor' });
    await expect(listFaqEntries(database.db, supervisor)).rejects.toBeInstanceOf(Forbidden);
    await expect(saveFaqEntry(database.db, supervisor, { ...ok, mode: 'create' })).rejects.toBeInstanceOf(Forbidden);
    await expect(setFaqActive(database.db, supervisor, { key: 'documents', language: 'id', active: false, words: { title: 'a', answer: 'b' } })).rejects.toBeInstanceOf(Forbidden);
    expect(await database.db.select().from(faqEntries)).toEqual([]);
  });

  it('changes a built-in topic in one language, adds a topic, refuses a taken key, and audits each write without the words', async () => {
    const db = database.db;
    const admin = await staffActor(db, { role: 'admin' });
    const edited = await saveFaqEntry(db, admin, { key: 'documents', language: 'id', title: 'Dokumen', answer: 'Bawa KTP dan KK asli.', mode: 'update' });
    expect(edited).toEqual({ ok: true, id: expect.any(Number), created: true });
    expect(await saveFaqEntry(db, admin, { key: 'documents', language: 'id', title: 'Dokumen', answer: 'Bawa KTP, KK, dan kode undangan.', mode: 'update' })).toEqual({
      ok: true,
      id: (edited as { id: number }).id,
      created: false,
    });
    // "Add a topic" never overwrites: neither a built-in key nor one already written in that language.
    expect(await saveFaqEntry(db, admin, { ...ok, key: 'documents', mode: 'create' })).toEqual({ ok: false, reason: 'key_taken' });
    expect(await saveFaqEntry(db, admin, { ...ok, mode: 'create' })).toMatchObject({ ok: true, created: true });
    expect(await saveFaqEntry(db, admin, { ...ok, answer: 'Lain', mode: 'create' })).toEqual({ ok: false, reason: 'key_taken' });
    expect(await saveFaqEntry(db, admin, { ...ok, title: 'x'.repeat(81), mode: 'update' })).toEqual({ ok: false, reason: 'invalid_input' });

    const rows = await listFaqEntries(db, admin, 'id');
    expect(rows.map((r) => [r.key, r.answer])).toEqual([
      ['documents', 'Bawa KTP, KK, dan kode undangan.'],
      ['kartu-hilang', 'Mohon lapor ke bank penyalur.'],
    ]);
    const trail = await db.select().from(auditLog).where(eq(auditLog.staffId, admin.id));
    expect(trail.map((a) => a.action)).toEqual(['faq.create', 'faq.update', 'faq.create']);
    expect(trail[2]!.details).toEqual({ key: 'kartu-hilang', language: 'id', builtIn: false, titleLength: 16, answerLength: 29 });
    expect(JSON.stringify(trail)).not.toContain('bank penyalur');
  });

  it('hides and shows a topic per language, keeping its words; a built-in never edited is hidden with its current words', async () => {
    const db = database.db;
    const admin = await staffActor(db, { role: 'admin' });
    expect(await setFaqActive(db, admin, { key: 'dtsen', language: 'en', active: false, words: { title: 'What are DTSEN and desil?', answer: 'DTSEN is…' } })).toEqual({ ok: true });
    expect(await setFaqActive(db, admin, { key: 'kartu-hilang', language: 'id', active: false })).toEqual({ ok: true });
    expect(await setFaqActive(db, admin, { key: 'no-such', language: 'id', active: false })).toEqual({ ok: false, reason: 'not_found' });
    expect(await setFaqActive(db, admin, { key: 'dtsen', language: 'xx', active: false })).toEqual({ ok: false, reason: 'invalid_input' });
    const [dtsen] = await db.select().from(faqEntries).where(and(eq(faqEntries.key, 'dtsen'), eq(faqEntries.language, 'en')));
    expect(dtsen).toMatchObject({ active: false, title: 'What are DTSEN and desil?', updatedBy: admin.id });

    const id = await faqForResident(db, 'id');
    expect(id.builtIn.documents).toEqual({ title: 'Dokumen', answer: 'Bawa KTP, KK, dan kode undangan.', active: true });
    expect(id.builtIn.dtsen).toBeUndefined(); // hidden in English only
    expect(id.extra).toEqual([]); // kartu-hilang is hidden
    const en = await faqForResident(db, 'en');
    expect(en.builtIn.dtsen?.active).toBe(false);
    expect(en.builtIn.documents).toBeUndefined(); // the Indonesian edit does not replace the English words

    expect(await setFaqActive(db, admin, { key: 'kartu-hilang', language: 'id', active: true })).toEqual({ ok: true });
    // An office topic written only in Indonesian is shown to an English reader in Indonesian.
    expect((await faqForResident(db, 'en')).extra).toEqual([{ key: 'kartu-hilang', title: 'Kartu KKS hilang', answer: 'Mohon lapor ke bank penyalur.' }]);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.staffId, admin.id))).map((a) => a.action);
    expect(actions).toEqual(['faq.hide', 'faq.hide', 'faq.show']);
  });
});
