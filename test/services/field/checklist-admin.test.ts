import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, fieldChecklistItems } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { checklistFor, checklistLabels } from '../../../src/services/field/checklist.ts';
import { addChecklistItem, checklistItemProblems, listChecklists, saveChecklistItem } from '../../../src/services/field/checklist-admin.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { staffActor, twoKecamatan } from '../staff/fixtures.ts';

// The field checklists as an admin keeps them (issue 19 part 3): items added, changed and hidden (never
// deleted: old visits keep reading them), each change audited; bad input, a taken key, a scoped admin and a
// supervisor change nothing.

let database: TestDatabase;
let admin: Actor;
let scoped: Actor;
let supervisor: Actor;

const rows = () => database.db.select().from(fieldChecklistItems).orderBy(fieldChecklistItems.id);
const item = async (kind: 'proposal' | 'ppks', key: string) =>
  (await database.db.select().from(fieldChecklistItems).where(and(eq(fieldChecklistItems.taskKind, kind), eq(fieldChecklistItems.key, key))))[0];
const audits = () => database.db.select().from(auditLog).where(eq(auditLog.action, 'field_checklist.save')).orderBy(auditLog.id);
const good = { labels: { id: 'Anggota keluarga penyandang disabilitas', en: 'A family member with a disability' }, position: 9, active: true };

beforeAll(async () => {
  database = await createTestDatabase();
  const kec = await twoKecamatan(database.db);
  admin = await staffActor(database.db, { role: 'admin' });
  scoped = await staffActor(database.db, { role: 'admin', kecamatanId: kec.sagulung });
  supervisor = await staffActor(database.db, { role: 'supervisor' });
});
afterAll(async () => {
  await database?.dispose();
});

describe('listChecklists', () => {
  it('lists every kind with its items in order, for admins; a supervisor is refused', async () => {
    const lists = await listChecklists(database.db, admin);
    expect(lists.map((l) => l.kind)).toEqual(['finding', 'proposal', 'missed_rounds', 'calldown', 'ppks']);
    const proposal = lists.find((l) => l.kind === 'proposal')!;
    expect(proposal.items[0]).toEqual({ key: 'met_household', labels: { id: 'Bertemu langsung dengan anggota keluarga', en: 'Met a member of the family in person' }, position: 0, active: true });
    expect(proposal.items.map((i) => i.key)).toContain('floor_earth');
    // A kecamatan admin reads them (to know what their workers tick).
    expect((await listChecklists(database.db, scoped)).length).toBe(5);
    await expect(listChecklists(database.db, supervisor)).rejects.toBeInstanceOf(Forbidden);
  });
});

describe('addChecklistItem and saveChecklistItem', () => {
  it('adds an item to a kind, shown on the visit form in its place, audited', async () => {
    expect(await addChecklistItem(database.db, admin, 'proposal', 'disability', { ...good, labels: { id: '  Anggota keluarga penyandang disabilitas ', en: ' A family member with a disability' } })).toEqual({ ok: true });
    expect(await item('proposal', 'disability')).toMatchObject({ labels: good.labels, position: 9, active: true });
    expect((await checklistFor(database.db, 'proposal')).at(-1)).toEqual({ key: 'disability', labels: good.labels });
    // The same key in another kind is another item.
    expect(await addChecklistItem(database.db, admin, 'ppks', 'disability', { labels: { id: 'Penyandang disabilitas', en: '' }, position: 4, active: true })).toEqual({ ok: true });
    // An empty English is left out, so the form shows the Indonesian.
    expect((await item('ppks', 'disability'))?.labels).toEqual({ id: 'Penyandang disabilitas' });
    expect((await audits()).map((a) => [a.entityId, a.details])).toEqual([
      ['proposal:disability', { created: true, position: 9, active: true }],
      ['ppks:disability', { created: true, position: 4, active: true }],
    ]);
  });

  it('refuses a key taken in the kind and changes nothing', async () => {
    const before = await rows();
    expect(await addChecklistItem(database.db, admin, 'proposal', 'floor_earth', good)).toEqual({ ok: false, reason: 'key_taken' });
    expect(await rows()).toEqual(before);
  });

  it('changes an item\'s words and place, and hides it: gone from the form, still read on old visits', async () => {
    expect(await saveChecklistItem(database.db, admin, 'proposal', 'floor_earth', { labels: { id: 'Lantai tanah atau bambu', en: 'Earth or bamboo floor' }, position: 20, active: true })).toEqual({ ok: true });
    const form = await checklistFor(database.db, 'proposal');
    expect(form.find((i) => i.key === 'floor_earth')).toEqual({ key: 'floor_earth', labels: { id: 'Lantai tanah atau bambu', en: 'Earth or bamboo floor' } });
    expect(form.at(-1)?.key).toBe('floor_earth');

    expect(await saveChecklistItem(database.db, admin, 'proposal', 'floor_earth', { labels: { id: 'Lantai tanah atau bambu', en: 'Earth or bamboo floor' }, position: 20, active: false })).toEqual({ ok: true });
    expect((await checklistFor(database.db, 'proposal')).map((i) => i.key)).not.toContain('floor_earth');
    expect((await checklistLabels(database.db)).get('proposal:floor_earth')).toEqual({ id: 'Lantai tanah atau bambu', en: 'Earth or bamboo floor' });
    expect((await listChecklists(database.db, admin)).find((l) => l.kind === 'proposal')!.items.find((i) => i.key === 'floor_earth')).toMatchObject({ active: false });
    // Shown again.
    expect(await saveChecklistItem(database.db, admin, 'proposal', 'floor_earth', { labels: { id: 'Lantai tanah atau bambu', en: '' }, position: 1, active: true })).toEqual({ ok: true });
    expect((await checklistFor(database.db, 'proposal')).find((i) => i.key === 'floor_earth')).toEqual({ key: 'floor_earth', labels: { id: 'Lantai tanah atau bambu' } });
    expect((await audits()).filter((a) => a.entityId === 'proposal:floor_earth').map((a) => a.details)).toEqual([
      { created: false, position: 20, active: true },
      { created: false, position: 20, active: false },
      { created: false, position: 1, active: true },
    ]);
    expect(await saveChecklistItem(database.db, admin, 'proposal', 'tidak_ada', good)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('says what is wrong with a key, the words or the place, and writes nothing on bad input', async () => {
    expect(checklistItemProblems(good, 'ok_key')).toEqual([]);
    for (const key of ['', 'a', 'Floor', '1floor', 'floor-earth', 'floor earth', 'x'.repeat(42)]) {
      expect({ key, problems: checklistItemProblems(good, key) }).toEqual({ key, problems: [{ field: 'key', problem: 'invalid' }] });
    }
    expect(checklistItemProblems(good, 'x'.repeat(41))).toEqual([]);
    expect(checklistItemProblems({ ...good, labels: { id: '   ', en: 'e'.repeat(201) }, position: 100 })).toEqual([
      { field: 'label_id', problem: 'empty' },
      { field: 'label_en', problem: 'too_long' },
      { field: 'position', problem: 'invalid' },
    ]);
    expect(checklistItemProblems({ ...good, labels: { id: 'é'.repeat(200), en: 'e'.repeat(200) }, position: 99 })).toEqual([]);
    expect(checklistItemProblems({ ...good, labels: { id: 'i'.repeat(201), en: '' }, position: -1 })).toEqual([
      { field: 'label_id', problem: 'too_long' },
      { field: 'position', problem: 'invalid' },
    ]);
    expect(checklistItemProblems({ ...good, position: 1.5 })).toEqual([{ field: 'position', problem: 'invalid' }]);
    expect(checklistItemProblems({ ...good, position: Number.NaN })).toEqual([{ field: 'position', problem: 'invalid' }]);

    const before = await rows();
    const auditsBefore = (await audits()).length;
    expect(await addChecklistItem(database.db, admin, 'proposal', 'Bad-Key', good)).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await addChecklistItem(database.db, admin, 'proposal', 'new_item', { ...good, labels: { id: '', en: 'x' } })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await saveChecklistItem(database.db, admin, 'proposal', 'wall_poor', { ...good, position: 100 })).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await rows()).toEqual(before);
    expect((await audits()).length).toBe(auditsBefore);
  });

  it('refuses a kecamatan-scoped admin and a supervisor, and changes nothing', async () => {
    const before = await rows();
    const auditsBefore = (await audits()).length;
    for (const who of [scoped, supervisor]) {
      await expect(addChecklistItem(database.db, who, 'proposal', 'other_item', good)).rejects.toBeInstanceOf(Forbidden);
      await expect(saveChecklistItem(database.db, who, 'proposal', 'wall_poor', { ...good, active: false })).rejects.toBeInstanceOf(Forbidden);
    }
    await expect(addChecklistItem(database.db, scoped, 'proposal', 'other_item', good)).rejects.toMatchObject({ permission: 'scope' });
    await expect(saveChecklistItem(database.db, supervisor, 'proposal', 'wall_poor', good)).rejects.toMatchObject({ permission: 'settings.manage' });
    expect(await rows()).toEqual(before);
    expect((await audits()).length).toBe(auditsBefore);
  });
});
