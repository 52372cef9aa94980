import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cannedResponses } from '../../../src/db/schema/index.ts';
import { REPLY_VARIABLES } from '../../../src/domain/reply-variables.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { DEMO_CANNED_RESPONSES, writeDemoCannedResponses } from '../../../src/services/seed/canned.ts';
import { CANNED_VARIABLES, cannedFor, cannedProblems, deleteCanned, listCanned, saveCanned } from '../../../src/services/staff/canned-responses.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor } from './fixtures.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

const valid = { title: 'Salam pembuka', language: 'id', body: 'Yth. Bapak/Ibu {{nama}}, laporan {{nomor_tiket}} sudah kami terima.', bidang: null };

describe('canned responses', () => {
  it('uses the same variables as the reply sender fills in', () => {
    expect([...CANNED_VARIABLES]).toEqual([...REPLY_VARIABLES]);
  });

  it('refuses unknown variables, empty or long fields, unknown language or bidang, and saves nothing', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    expect(cannedProblems(valid)).toEqual([]);
    expect(cannedProblems({ ...valid, body: 'Halo {{ nama }}, {{nma}} dan {{nomor tiket}} dan {{nma}}' })).toEqual([
      { field: 'body', problem: 'unknown_variable', variables: ['nma', 'nomor tiket'] },
    ]);
    expect(cannedProblems({ title: ' ', language: 'fr', body: 'x'.repeat(4001), bidang: 'Keuangan' }).map((p) => `${p.field}:${p.problem}`)).toEqual([
      'title:empty',
      'body:too_long',
      'language:invalid',
      'bidang:invalid',
    ]);
    expect(cannedProblems({ ...valid, title: 't'.repeat(101) })).toEqual([{ field: 'title', problem: 'too_long' }]);
    expect(cannedProblems({ ...valid, title: 't'.repeat(100), body: 'b'.repeat(4000) })).toEqual([]);

    for (const bad of [{ ...valid, body: 'Halo {{alamat}}' }, { ...valid, title: '' }, { ...valid, language: 'jv' }, { ...valid, bidang: 'Keuangan' }]) {
      expect(await saveCanned(database.db, admin, bad)).toEqual({ ok: false, reason: 'invalid_input' });
    }
    expect(await database.db.select().from(cannedResponses)).toEqual([]);
  });

  it('creates, changes and deletes, audited, for settings.manage only', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const created = await saveCanned(database.db, admin, { ...valid, title: '  Dengan spasi  ' });
    if (!created.ok) throw new Error('not saved');
    const changed = await saveCanned(database.db, admin, { id: created.id, title: 'Salam', language: 'id', body: 'Terima kasih {{petugas}}', bidang: 'Rehsos' });
    expect(changed).toEqual({ ok: true, id: created.id });
    expect((await listCanned(database.db, admin)).find((r) => r.id === created.id)).toEqual({ id: created.id, title: 'Salam', language: 'id', body: 'Terima kasih {{petugas}}', bidang: 'Rehsos' });
    expect(await saveCanned(database.db, admin, { ...valid, id: 999_999 })).toEqual({ ok: false, reason: 'not_found' });

    for (const role of ['supervisor', 'operator', 'viewer', 'field_officer'] as const) {
      const other = await staffActor(database.db, { role });
      await expect(listCanned(database.db, other)).rejects.toBeInstanceOf(Forbidden);
      await expect(saveCanned(database.db, other, valid)).rejects.toBeInstanceOf(Forbidden);
      await expect(deleteCanned(database.db, other, created.id)).rejects.toBeInstanceOf(Forbidden);
    }

    expect(await deleteCanned(database.db, admin, created.id)).toBe(true);
    expect(await deleteCanned(database.db, admin, created.id)).toBe(false);
    const trail = await database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'canned_response'), eq(auditLog.entityId, String(created.id))));
    expect(trail.map((r) => r.action).sort()).toEqual(['canned_response.create', 'canned_response.delete', 'canned_response.update']);
    expect(JSON.stringify(trail)).not.toContain('Terima kasih'); // the body itself is not copied into the log
  });

  it('offers a worker those of the language that are general or of their bidang, sorted by title', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    await database.db.delete(cannedResponses);
    for (const [title, language, bidang] of [
      ['Zakat', 'id', null],
      ['Alamat', 'id', 'Rehsos'],
      ['Bantuan', 'id', 'Linjamsos'],
      ['Closing', 'en', null],
      ['Cek data', 'id', null],
    ] as const) {
      const r = await saveCanned(database.db, admin, { title, language, body: `Isi ${title}`, bidang });
      expect(r.ok).toBe(true);
    }
    const rehsos = await staffActor(database.db, { role: 'operator', bidang: 'Rehsos' });
    expect((await cannedFor(database.db, rehsos, 'id')).map((r) => r.title)).toEqual(['Alamat', 'Cek data', 'Zakat']);
    expect((await cannedFor(database.db, rehsos, 'en')).map((r) => r.title)).toEqual(['Closing']);
    const cityWide = await staffActor(database.db, { role: 'supervisor' });
    expect((await cannedFor(database.db, cityWide, 'id')).map((r) => r.title)).toEqual(['Alamat', 'Bantuan', 'Cek data', 'Zakat']);
    expect(await cannedFor(database.db, cityWide, 'fr')).toEqual([]);
    // Someone who cannot reply to residents has nothing to pick.
    expect(await cannedFor(database.db, await staffActor(database.db, { role: 'viewer' }), 'id')).toEqual([]);
  });

  it('keeps a bidang-scoped admin to their own bidang', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const scoped = await staffActor(database.db, { role: 'admin', bidang: 'Dayasos' });
    const other = await saveCanned(database.db, admin, { ...valid, title: 'Linjamsos saja', bidang: 'Linjamsos' });
    if (!other.ok) throw new Error('not saved');
    await expect(saveCanned(database.db, scoped, { ...valid, bidang: 'Linjamsos' })).rejects.toBeInstanceOf(Forbidden);
    await expect(saveCanned(database.db, scoped, { ...valid, bidang: null })).rejects.toBeInstanceOf(Forbidden);
    expect((await listCanned(database.db, scoped)).some((r) => r.id === other.id)).toBe(false);
    expect(await saveCanned(database.db, scoped, { ...valid, id: other.id, bidang: 'Dayasos' })).toEqual({ ok: false, reason: 'not_found' });
    expect(await deleteCanned(database.db, scoped, other.id)).toBe(false);
    const own = await saveCanned(database.db, scoped, { ...valid, title: 'Dayasos', bidang: 'Dayasos' });
    expect(own.ok).toBe(true);
  });

  it('seeds four valid general replies per language into an empty table, once', async () => {
    for (const r of DEMO_CANNED_RESPONSES) expect({ title: r.title, problems: cannedProblems({ ...r, bidang: null }) }).toEqual({ title: r.title, problems: [] });
    expect(DEMO_CANNED_RESPONSES.filter((r) => r.language === 'id')).toHaveLength(4);
    expect(DEMO_CANNED_RESPONSES.filter((r) => r.language === 'en')).toHaveLength(4);
    await database.db.delete(cannedResponses);
    await database.db.transaction((tx) => writeDemoCannedResponses(tx));
    await database.db.transaction((tx) => writeDemoCannedResponses(tx));
    expect(await database.db.select().from(cannedResponses)).toHaveLength(8);
    const operator = await staffActor(database.db, { role: 'operator', bidang: 'PM' });
    expect((await cannedFor(database.db, operator, 'en')).map((r) => r.title)).toEqual(['In progress', 'Please bring your documents', 'Report received', 'Resolved']);
  });
});
