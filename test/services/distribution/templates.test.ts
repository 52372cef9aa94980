import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, distributionEvents } from '../../../src/db/schema/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { chooseEventTemplates } from '../../../src/services/distribution/templates.ts';
import { saveTemplates, type MetaTemplate } from '../../../src/services/outreach/templates.ts';
import { distributionWorld, makeEvent, staff, type DistributionWorld } from './fixtures.ts';

// Choosing an event's WhatsApp templates: only by whoever manages distributions, only for an event in their
// area and bidang, only an approved template that fits its purpose; '' goes back to the setting's default.

const STOP = 'Balas BERHENTI bila tidak ingin menerima pesan lagi.';
const tpl = (name: string, body: string, o: Partial<MetaTemplate> = {}): MetaTemplate => ({
  name,
  language: 'id',
  status: 'APPROVED',
  category: 'UTILITY',
  metaId: null,
  body,
  parameterCount: Math.max(0, ...[...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]))),
  components: [{ type: 'BODY', text: body }],
  reason: null,
  ...o,
});

let w: DistributionWorld;
let eventA: number;
let eventB: number;
let cancelled: number;
const ID = { language: 'id' };

beforeAll(async () => {
  w = await distributionWorld();
  await saveTemplates(
    w.db,
    [
      tpl('undangan_desember', `Undangan {{1}} {{2}} {{3}} {{4}} {{5}}. ${STOP}`),
      tpl('pengingat_desember', `Pengingat {{1}} {{2}} {{3}} {{4}}. ${STOP}`),
      tpl('undangan_menunggu', `Undangan {{1}} {{2}} {{3}} {{4}} {{5}}. ${STOP}`, { status: 'PENDING' }),
      tpl('undangan_tanpa_berhenti', 'Undangan {{1}} {{2}} {{3}} {{4}} {{5}}.'),
      tpl('undangan_english', `Invitation {{1}} {{2}} {{3}} {{4}} {{5}}. Reply STOP.`, { language: 'en' }),
    ],
    new Date(),
  );
  ({ eventId: eventA } = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 10 }] }));
  ({ eventId: eventB } = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteB, start: '08:00', end: '12:00', capacity: 10 }] }));
  ({ eventId: cancelled } = await makeEvent(w.db, { programId: w.householdProgramId, status: 'cancelled', slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 10 }] }));
}, 120_000);
afterAll(() => w?.dispose());

const eventRow = async (id: number) => (await w.db.select().from(distributionEvents).where(eq(distributionEvents.id, id)))[0]!;

describe('chooseEventTemplates', () => {
  it('saves approved templates that fit, audits it, and goes back to the default with empty names', async () => {
    const r = await chooseEventTemplates(w.db, w.admin, eventA, { invitationTemplate: ' undangan_desember ', reminderTemplate: 'pengingat_desember' }, ID);
    expect(r).toEqual({ ok: true, invitationTemplate: 'undangan_desember', reminderTemplate: 'pengingat_desember' });
    expect(await eventRow(eventA)).toMatchObject({ invitationTemplate: 'undangan_desember', reminderTemplate: 'pengingat_desember' });
    const audits = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'distribution.event.templates'), eq(auditLog.entityId, String(eventA))));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ invitationTemplate: 'undangan_desember', reminderTemplate: 'pengingat_desember', language: 'id' });

    expect(await chooseEventTemplates(w.db, w.admin, eventA, { invitationTemplate: '', reminderTemplate: null }, ID)).toEqual({ ok: true, invitationTemplate: null, reminderTemplate: null });
    expect(await eventRow(eventA)).toMatchObject({ invitationTemplate: null, reminderTemplate: null });
  });

  it('refuses a template that would not go out, says for which purpose, and changes nothing', async () => {
    await chooseEventTemplates(w.db, w.admin, eventA, { invitationTemplate: 'undangan_desember', reminderTemplate: null }, ID);
    const cases: [Parameters<typeof chooseEventTemplates>[3], string, 'invitation' | 'reminder'][] = [
      [{ invitationTemplate: 'tidak_ada', reminderTemplate: null }, 'template_missing', 'invitation'],
      [{ invitationTemplate: 'undangan_english', reminderTemplate: null }, 'template_missing', 'invitation'], // another language
      [{ invitationTemplate: 'undangan_menunggu', reminderTemplate: null }, 'template_not_approved', 'invitation'],
      [{ invitationTemplate: 'pengingat_desember', reminderTemplate: null }, 'template_parameters', 'invitation'],
      [{ invitationTemplate: null, reminderTemplate: 'undangan_desember' }, 'template_parameters', 'reminder'],
      [{ invitationTemplate: 'undangan_tanpa_berhenti', reminderTemplate: 'pengingat_desember' }, 'template_no_stop', 'invitation'],
    ];
    for (const [choice, reason, purpose] of cases) {
      expect(await chooseEventTemplates(w.db, w.admin, eventA, choice, ID), JSON.stringify(choice)).toEqual({ ok: false, reason, purpose });
    }
    expect(await eventRow(eventA)).toMatchObject({ invitationTemplate: 'undangan_desember', reminderTemplate: null });
    expect(await chooseEventTemplates(w.db, w.admin, eventA, { invitationTemplate: 'x'.repeat(600), reminderTemplate: null }, ID)).toEqual({ ok: false, reason: 'invalid_input' });
    expect(await chooseEventTemplates(w.db, w.admin, cancelled, { invitationTemplate: 'undangan_desember', reminderTemplate: null }, ID)).toEqual({ ok: false, reason: 'invalid_status' });
    // In English the English template fits.
    expect((await chooseEventTemplates(w.db, w.admin, eventA, { invitationTemplate: 'undangan_english', reminderTemplate: null }, { language: 'en' })).ok).toBe(true);
  });

  it('keeps to the actor: role, kecamatan and bidang', async () => {
    const choice = { invitationTemplate: 'undangan_desember', reminderTemplate: null };
    for (const role of ['operator', 'viewer', 'field_officer'] as const) {
      await expect(chooseEventTemplates(w.db, await staff(w.db, role), eventA, choice, ID)).rejects.toBeInstanceOf(Forbidden);
    }
    const spvA = await staff(w.db, 'supervisor', w.area.kecA);
    expect((await chooseEventTemplates(w.db, spvA, eventA, choice, ID)).ok).toBe(true);
    // Another kecamatan's event, an event of another bidang's program, an unknown id: as if it did not exist.
    expect(await chooseEventTemplates(w.db, spvA, eventB, choice, ID)).toEqual({ ok: false, reason: 'not_found' });
    const rehsos: Actor = { ...(await staff(w.db, 'supervisor')), bidang: 'Rehsos' };
    expect(await chooseEventTemplates(w.db, rehsos, eventA, choice, ID)).toEqual({ ok: false, reason: 'not_found' });
    expect(await chooseEventTemplates(w.db, w.admin, 987_654_321, choice, ID)).toEqual({ ok: false, reason: 'not_found' });
    expect((await eventRow(eventB)).invitationTemplate).toBeNull();
  });
});
