import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { whatsappTemplates } from '../../../src/db/schema/index.ts';
import { TEMPLATE_PARAMETERS } from '../../../src/messages/notices/template-parameters.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { checkTemplate, listTemplates, saveTemplates, type MetaTemplate } from '../../../src/services/outreach/templates.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor } from '../staff/fixtures.ts';

// The stored template list (upserted by name and language; what Meta no longer lists kept as DELETED), who may
// read it, and the check a template must pass before a message of a purpose may go out with it.

const STOP = 'Balas BERHENTI bila tidak ingin menerima pesan lagi.';

function tpl(name: string, body: string | null, o: Partial<MetaTemplate> = {}): MetaTemplate {
  const count = Math.max(0, ...[...(body ?? '').matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1])));
  return { name, language: 'id', status: 'APPROVED', category: 'UTILITY', metaId: '1', body, parameterCount: count, components: body ? [{ type: 'BODY', text: body }] : [], reason: null, ...o };
}

const INVITATION = `Dinas Sosial mengundang ke {{1}} pada {{2}} di {{3}}. Kode {{4}}. {{5}}. ${STOP}`;
const REMINDER = `Pengingat {{1}}: {{2}} di {{3}}, kode {{4}}. ${STOP}`;
const NOTICE = `Pemberitahuan Dinas Sosial: {{1}} ${STOP}`;

let database: TestDatabase;
const T0 = new Date('2026-11-24T02:00:00Z');
const T1 = new Date('2026-11-24T08:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
}, 60_000);
afterAll(() => database?.dispose());
beforeEach(async () => {
  await database.db.delete(whatsappTemplates);
});

const rows = () => database.db.select().from(whatsappTemplates).orderBy(whatsappTemplates.name, whatsappTemplates.language);

describe('saveTemplates', () => {
  it('inserts, then updates by name and language, and marks what Meta no longer lists DELETED', async () => {
    const db = database.db;
    expect(await saveTemplates(db, [tpl('pintu_undangan', INVITATION, { status: 'PENDING' }), tpl('pintu_undangan', INVITATION, { language: 'en' }), tpl('pintu_lama', NOTICE)], T0)).toEqual({ saved: 3, deleted: 0 });
    const first = await rows();
    expect(first.map((r) => `${r.name}/${r.language}/${r.status}`)).toEqual(['pintu_lama/id/APPROVED', 'pintu_undangan/en/APPROVED', 'pintu_undangan/id/PENDING']);

    // Meta approved the Indonesian one, rejected the English one, and pintu_lama is gone.
    const r = await saveTemplates(db, [tpl('pintu_undangan', INVITATION), tpl('pintu_undangan', INVITATION, { language: 'en', status: 'REJECTED', reason: 'INVALID_FORMAT' }), tpl('pintu_pengingat', REMINDER)], T1);
    expect(r).toEqual({ saved: 3, deleted: 1 });
    const second = await rows();
    expect(second.map((x) => `${x.name}/${x.language}/${x.status}`)).toEqual(['pintu_lama/id/DELETED', 'pintu_pengingat/id/APPROVED', 'pintu_undangan/en/REJECTED', 'pintu_undangan/id/APPROVED']);
    // Updated in place (same ids), with the new sync time and Meta's reason.
    const byKey = (list: typeof first, name: string, language: string) => list.find((x) => x.name === name && x.language === language)!;
    expect(byKey(second, 'pintu_undangan', 'id').id).toBe(byKey(first, 'pintu_undangan', 'id').id);
    expect(byKey(second, 'pintu_undangan', 'id').syncedAt).toEqual(T1);
    expect(byKey(second, 'pintu_undangan', 'en').reason).toBe('INVALID_FORMAT');
    // The deleted row keeps its body: an event that named it still shows what it said.
    expect(byKey(second, 'pintu_lama', 'id').body).toBe(NOTICE);

    // Listed again later: back from DELETED. A DELETED one is not counted deleted a second time.
    expect(await saveTemplates(db, [tpl('pintu_lama', NOTICE), tpl('pintu_undangan', INVITATION), tpl('pintu_pengingat', REMINDER)], T1)).toEqual({ saved: 3, deleted: 1 });
    expect((await db.select().from(whatsappTemplates).where(eq(whatsappTemplates.name, 'pintu_lama')))[0]!.status).toBe('APPROVED');
  });

  it('takes a list with the same template twice (the first wins) and an empty list (everything DELETED)', async () => {
    const db = database.db;
    expect(await saveTemplates(db, [tpl('pintu_undangan', INVITATION), tpl('pintu_undangan', 'other', { status: 'PAUSED' })], T0)).toEqual({ saved: 1, deleted: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'APPROVED', body: INVITATION });
    expect(await saveTemplates(db, [], T1)).toEqual({ saved: 0, deleted: 1 });
    expect((await rows()).map((x) => x.status)).toEqual(['DELETED']);
  });
});

describe('listTemplates', () => {
  it('is for whoever manages distributions or broadcasts', async () => {
    const db = database.db;
    await saveTemplates(db, [tpl('pintu_undangan', INVITATION)], T0);
    for (const role of ['admin', 'supervisor'] as const) {
      const list = await listTemplates(db, await staffActor(db, { role }));
      expect(list.templates.map((x) => x.name)).toEqual(['pintu_undangan']);
      expect(list.syncedAt).toEqual(T0);
    }
    for (const role of ['operator', 'viewer', 'field_officer'] as const) {
      await expect(listTemplates(db, await staffActor(db, { role }))).rejects.toBeInstanceOf(Forbidden);
    }
  });
});

describe('checkTemplate', () => {
  it('passes an approved template with the right parameters that tells how to stop', async () => {
    const db = database.db;
    await saveTemplates(db, [tpl('pintu_undangan', INVITATION), tpl('pintu_pengingat', REMINDER), tpl('pintu_pemberitahuan', NOTICE)], T0);
    for (const [name, purpose] of [['pintu_undangan', 'invitation'], ['pintu_pengingat', 'reminder'], ['pintu_pemberitahuan', 'notice']] as const) {
      const r = await checkTemplate(db, { name, language: 'id', purpose });
      expect(r.ok, name).toBe(true);
      if (r.ok) expect(r.template.parameterCount).toBe(TEMPLATE_PARAMETERS[purpose].length);
    }
  });

  it('refuses with each reason', async () => {
    const db = database.db;
    await saveTemplates(
      db,
      [
        tpl('pintu_undangan', INVITATION),
        tpl('pintu_menunggu', INVITATION, { status: 'PENDING' }),
        tpl('pintu_dijeda', INVITATION, { status: 'PAUSED' }),
        tpl('pintu_empat', REMINDER),
        tpl('pintu_bernama', `Acara {{acara}} {{waktu}} {{tempat}} {{kode}} {{putaran}}. ${STOP}`, { parameterCount: 5 }),
        tpl('pintu_judul', INVITATION, { components: [{ type: 'HEADER', format: 'TEXT', text: 'Undangan {{1}}' }, { type: 'BODY', text: INVITATION }] }),
        tpl('pintu_gambar', INVITATION, { components: [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: INVITATION }] }),
        tpl('pintu_tautan', INVITATION, { components: [{ type: 'BODY', text: INVITATION }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Buka', url: 'https://x.example/{{1}}' }] }] }),
        tpl('pintu_tombol', INVITATION, { components: [{ type: 'BODY', text: INVITATION }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Hadir' }, { type: 'URL', text: 'Peta', url: 'https://maps.example/' }] }] }),
        tpl('pintu_tanpa_berhenti', 'Undangan {{1}} {{2}} {{3}} {{4}} {{5}}.'),
        tpl('pintu_stopwatch', 'Undangan {{1}} {{2}} {{3}} {{4}} {{5}}. Bawa stopwatch.'),
        tpl('pintu_kaki', 'Undangan {{1}} {{2}} {{3}} {{4}} {{5}}.', { components: [{ type: 'BODY', text: 'Undangan {{1}} {{2}} {{3}} {{4}} {{5}}.' }, { type: 'FOOTER', text: 'Balas STOP untuk berhenti' }] }),
        tpl('pintu_lama', INVITATION),
      ],
      T0,
    );
    await saveTemplates(db, (await rows()).filter((r) => r.name !== 'pintu_lama').map((r) => ({ ...r, components: r.components ?? [] })), T1);
    const check = (name: string, purpose: 'invitation' | 'reminder' | 'notice' = 'invitation', language = 'id') => checkTemplate(db, { name, language, purpose });

    expect(await check('tidak_ada')).toEqual({ ok: false, reason: 'template_missing' });
    expect(await check('pintu_undangan', 'invitation', 'en')).toEqual({ ok: false, reason: 'template_missing' });
    expect(await check('pintu_lama')).toEqual({ ok: false, reason: 'template_missing' }); // DELETED
    expect(await check('pintu_menunggu')).toEqual({ ok: false, reason: 'template_not_approved' });
    expect(await check('pintu_dijeda')).toEqual({ ok: false, reason: 'template_not_approved' });
    expect(await check('pintu_empat', 'invitation')).toEqual({ ok: false, reason: 'template_parameters' });
    expect(await check('pintu_undangan', 'reminder')).toEqual({ ok: false, reason: 'template_parameters' });
    expect(await check('pintu_undangan', 'notice')).toEqual({ ok: false, reason: 'template_parameters' });
    expect(await check('pintu_bernama')).toEqual({ ok: false, reason: 'template_parameters' });
    expect(await check('pintu_judul')).toEqual({ ok: false, reason: 'template_parameters' });
    expect(await check('pintu_gambar')).toEqual({ ok: false, reason: 'template_parameters' });
    expect(await check('pintu_tautan')).toEqual({ ok: false, reason: 'template_parameters' });
    expect(await check('pintu_tanpa_berhenti')).toEqual({ ok: false, reason: 'template_no_stop' });
    expect(await check('pintu_stopwatch')).toEqual({ ok: false, reason: 'template_no_stop' });
    // A quick reply and a fixed link need nothing filled; "Balas STOP" in the footer is as good as in the body.
    expect((await check('pintu_tombol')).ok).toBe(true);
    expect((await check('pintu_kaki')).ok).toBe(true);
    expect((await check('pintu_empat', 'reminder')).ok).toBe(true);
  });
});
