import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members } from '../../../../src/db/schema/index.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { distributionWorld, makeEvent, makeHousehold, NOW, type DistributionWorld } from '../../../services/distribution/fixtures.ts';

// The event page says how an invitation round reaches families before and after sending (issue 16): by chat,
// by WhatsApp to a registry phone, on the call-down list — and, on the Cloud API, the day Meta's daily limit of
// new conversations lets the last family be reached.

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('reach before and after sending, in the console', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let spv: Browser;
  let seq = 0;

  beforeAll(async () => {
    w = await distributionWorld();
    t = await createTestApp(w.database, { clock: () => NOW });
    const base = await t.listen();
    await createStaffUser(w.db, 'system', { email: 'spv@reach.test', name: 'Supervisor Kota', role: 'supervisor', password: PASSWORD });
    ({ b: spv } = await signedIn(base, 'spv@reach.test'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  /** In a fresh kelurahan-worth of the area: 2 households with chats, `phones` with a registry mobile only, 1 with neither. */
  async function families(phones: number) {
    const enroll = { programId: w.householdProgramId };
    const kel = w.area.kelA2;
    for (let i = 0; i < 2; i++) await makeHousehold(w.db, { kelurahanId: kel, enroll, chats: [{}] });
    for (let i = 0; i < phones; i++) {
      const h = await makeHousehold(w.db, { kelurahanId: kel, enroll });
      await w.db.update(members).set({ phone: `0813${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}` }).where(eq(members.id, h.memberIds[0]!));
    }
    await makeHousehold(w.db, { kelurahanId: kel, enroll });
    return kel;
  }

  it('on WhatsApp Web: "2 lewat WhatsApp, 2 lewat chat, 1 daftar kertas" before, and the same after sending', async () => {
    t.deps.outreach = { phoneChannel: 'whatsapp_web' };
    const kel = await families(2);
    const { eventId } = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 50 }] });
    const page = await (await spv.fetch(`/console/distribution/${eventId}?preview=1&area=kel:${kel}`)).text();
    expect(page).toMatch(/data-testid="reach" data-chat="2" data-whatsapp="2" data-paper="1"/);
    expect(text(page)).toContain('2 lewat WhatsApp, 2 lewat chat, 1 daftar kertas');
    expect(text(page)).toContain('tidak ada nomor HP di data: 1');
    expect(page).toContain('id="allocation"');

    const res = await spv.post(`/console/distribution/${eventId}/invite`, { _csrf: csrfIn(page), area: `kel:${kel}`, confirm: '1' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toContain('chat=2&whatsapp=2&paper=1');
    expect(location).not.toContain('lastDay');
    const done = text(await (await spv.fetch(location)).text());
    expect(done).toContain('Undangan dibuat untuk 5 keluarga: 2 lewat WhatsApp, 2 lewat chat, 1 daftar kertas.');
  });

  it('on the Cloud API: a template not approved is named before sending, and the last day of a round Meta spreads is shown', async () => {
    t.deps.outreach = {
      phoneChannel: 'whatsapp_cloud',
      cloud: { templateLanguage: 'id', templates: { invitation: 'pintu_undangan', reminder: 'pintu_pengingat', notice: 'pintu_pemberitahuan' }, dailyNewConversations: 2 },
    };
    const kel = await families(5);
    const { eventId } = await makeEvent(w.db, { programId: w.householdProgramId, slots: [{ siteId: w.siteA, start: '08:00', end: '12:00', capacity: 50 }] });
    const before = await (await spv.fetch(`/console/distribution/${eventId}?preview=1&area=kel:${kel}`)).text();
    expect(text(before)).toContain('(pintu_undangan)');

    await w.db.execute(
      sql`insert into whatsapp_templates (name, language, status, body, parameter_count) values
        ('pintu_undangan', 'id', 'APPROVED', 'Undangan {{1}} pada {{2}} di {{3}}, kode {{4}} ({{5}}). Balas BERHENTI bila tidak ingin menerima pesan.', 5),
        ('pintu_pengingat', 'id', 'APPROVED', 'Pengingat {{1}} pada {{2}} di {{3}}, kode {{4}}. Balas BERHENTI bila tidak ingin menerima pesan.', 4)`,
    );
    const ready = await (await spv.fetch(`/console/distribution/${eventId}?preview=1&area=kel:${kel}`)).text();
    expect(text(ready)).not.toContain('(pintu_undangan)');
    // Two new conversations a day, and more registry phones than that (the first round's still wait): days.
    expect(text(ready)).toMatch(/Keluarga terakhir dihubungi paling lambat .* \(batas WhatsApp 2 percakapan baru per hari\)/);

    const res = await spv.post(`/console/distribution/${eventId}/invite`, { _csrf: csrfIn(ready), area: `kel:${kel}`, confirm: '1' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/lastDay=\d{4}-\d{2}-\d{2}/);
    const done = await (await spv.fetch(location)).text();
    expect(done).toContain('data-testid="last-day"');
  });
});
