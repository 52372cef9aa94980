import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaints, eventSiteAreas, eventSlots, kelurahan } from '../../../../src/db/schema/index.ts';
import { AllocationTable } from '../../../../src/http/console/distribution/views/allocation.tsx';
import { createI18n } from '../../../../src/i18n.ts';
import type { AllocationPreview } from '../../../../src/services/distribution/allocation.ts';
import type { Session } from '../../../../src/services/staff/sessions.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { Browser, csrfIn, PASSWORD, signedIn } from '../../../helpers/console.ts';
import { distributionWorld, makeEvent, makeHousehold, makeInvitation, makeSite, NOW, type DistributionWorld } from '../../../services/distribution/fixtures.ts';

// The allocation parts of the event page over HTTP: moving a kelurahan to another site ("Pindahkan ke")
// and back to the nearest, who may, CSRF, refusals shown with their reason; the "site too far" complaints
// per site under the slots; and the allocation table itself as a pure view.

const XSS = '<script>alert(1)</script>';

describe('console: moving a kelurahan to another site', () => {
  let w: DistributionWorld;
  let t: TestApp;
  let admin: Browser;
  let viewer: Browser;
  let eventId: number;
  let otherSite: number;
  let farSite: number;

  beforeAll(async () => {
    w = await distributionWorld();
    t = await createTestApp(w.database, { clock: () => NOW });
    const base = await t.listen();
    await createStaffUser(w.db, 'system', { email: 'admin@alloc.test', name: 'Admin Kota', role: 'admin', password: PASSWORD });
    await createStaffUser(w.db, 'system', { email: 'viewer@alloc.test', name: 'Pemantau', role: 'viewer', password: PASSWORD });
    await w.db.update(kelurahan).set({ latitude: '1.055000', longitude: '103.987000' }).where(eq(kelurahan.id, w.area.kelA1));
    otherSite = await makeSite(w.db, { kecamatanId: w.area.kecA, kelurahanId: w.area.kelA2, name: 'Kantor Lurah Tembesi' });
    farSite = await makeSite(w.db, { kecamatanId: w.area.kecA, name: 'Aula Bukan Kegiatan Ini' });
    ({ eventId } = await makeEvent(w.db, {
      programId: w.householdProgramId,
      slots: [
        { siteId: w.siteA, start: '08:00', end: '12:00', capacity: 20 },
        { siteId: otherSite, start: '08:00', end: '12:00', capacity: 20 },
      ],
    }));
    ({ b: admin } = await signedIn(base, 'admin@alloc.test'));
    ({ b: viewer } = await signedIn(base, 'viewer@alloc.test'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await w?.dispose();
  });

  const override = async () => (await w.db.select({ siteId: eventSiteAreas.siteId }).from(eventSiteAreas).where(eq(eventSiteAreas.eventId, eventId)))[0]?.siteId ?? null;

  it('moves a kelurahan and back to the nearest, then returns to the same preview', async () => {
    const csrf = csrfIn(await (await admin.fetch(`/console/distribution/${eventId}`)).text());
    const area = `kel:${w.area.kelA1}`;
    const moved = await admin.post(`/console/distribution/${eventId}/site-areas`, { _csrf: csrf, kelurahan: String(w.area.kelA1), site: String(otherSite), area });
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe(`/console/distribution/${eventId}?preview=1&area=kel%3A${w.area.kelA1}#allocation`);
    expect(await override()).toBe(otherSite);

    const back = await admin.post(`/console/distribution/${eventId}/site-areas`, { _csrf: csrf, kelurahan: String(w.area.kelA1), site: 'nearest', area: 'javascript:alert(1)' });
    expect(back.status).toBe(303);
    // An area that is not one the invite form offers is not carried into the address.
    expect(back.headers.get('location')).toBe(`/console/distribution/${eventId}?preview=1&area=#allocation`);
    expect(await override()).toBeNull();
  });

  it('refuses without CSRF, for a viewer, and a site or kelurahan it may not use, with the reason', async () => {
    const page = await (await admin.fetch(`/console/distribution/${eventId}`)).text();
    const csrf = csrfIn(page);
    const form = { kelurahan: String(w.area.kelA1), site: String(otherSite), area: '' };
    expect((await admin.post(`/console/distribution/${eventId}/site-areas`, form)).status).toBe(403);
    const viewerCsrf = csrfIn(await (await viewer.fetch(`/console/distribution/${eventId}`)).text());
    expect((await viewer.post(`/console/distribution/${eventId}/site-areas`, { _csrf: viewerCsrf, ...form })).status).toBe(403);
    expect(await override()).toBeNull();

    const notInEvent = await admin.post(`/console/distribution/${eventId}/site-areas`, { _csrf: csrf, ...form, site: String(farSite) });
    expect(notInEvent.status).toBe(422);
    expect(await notInEvent.text()).toContain('Lokasi tidak dikenal');
    const garbage = await admin.post(`/console/distribution/${eventId}/site-areas`, { _csrf: csrf, ...form, site: 'dekat' });
    expect(garbage.status).toBe(422);
    expect((await admin.post(`/console/distribution/${eventId}/site-areas`, { _csrf: csrf, ...form, kelurahan: '987654' })).status).toBe(404);
    expect((await admin.post(`/console/distribution/987654/site-areas`, { _csrf: csrf, ...form })).status).toBe(404);
    expect(await override()).toBeNull();
  });

  it('shows the "site too far" complaints per site under the slots', async () => {
    const hh = await makeHousehold(w.db, { kelurahanId: w.area.kelA1, enroll: { programId: w.householdProgramId } });
    const [slot] = await w.db.select({ id: eventSlots.id }).from(eventSlots).where(and(eq(eventSlots.eventId, eventId), eq(eventSlots.siteId, otherSite)));
    const inv = await makeInvitation(w.db, { eventId, householdId: hh.householdId, slotId: slot!.id });
    await w.db.insert(complaints).values({ trackingId: `ADU-ALLOC-${eventId}`, category: 'site_too_far', summary: 'Terlalu jauh', invitationId: inv.invitationId });
    const html = await (await viewer.fetch(`/console/distribution/${eventId}`)).text();
    const block = html.slice(html.indexOf('data-testid="site-too-far"'));
    expect(block).toContain('Pengaduan &quot;lokasi terlalu jauh&quot;');
    expect(block).toMatch(new RegExp(`data-site="${otherSite}" data-complaints="1"`));
    expect(block).toMatch(new RegExp(`data-site="${w.siteA}" data-complaints="0"`));
  });
});

describe('AllocationTable (view)', () => {
  it('lists sites with their kelurahan, a move form per row with the current choice, and escapes names', async () => {
    const t = (await createI18n('id')).getFixedT('id');
    const session = { csrfToken: 'tok-123' } as unknown as Session;
    const preview: AllocationPreview = {
      sites: [
        { siteId: 1, siteName: 'Kantor Camat Batam Kota', kecamatan: 'Batam Kota', free: 400, allocated: 3, overridden: false, kelurahan: [{ id: 11, name: 'Teluk Tering', households: 3, distanceKm: 0.6, movedTo: null }] },
        { siteId: 2, siteName: `Kantor Lurah ${XSS}`, kecamatan: 'Batam Kota', free: 10, allocated: 2, overridden: true, kelurahan: [{ id: 12, name: 'Sukajadi', households: 2, distanceKm: null, movedTo: 2 }] },
        { siteId: 3, siteName: 'Aula Kosong', kecamatan: 'Batam Kota', free: 5, allocated: 0, overridden: false, kelurahan: [] },
      ],
      withoutRoom: { households: 4, kelurahan: [{ id: 13, name: 'Belian', households: 4, distanceKm: null, movedTo: null }] },
      alreadyInvited: 1,
    };
    const html = String(await AllocationTable({ t, locale: 'id', session, eventId: 7, area: 'kec:10', preview }).toString());
    expect(html).not.toContain(XSS);
    expect(html).toContain('Kantor Lurah &lt;script&gt;');
    expect(html).toContain('3 keluarga diundang ke sini. Kuota yang masih kosong: 400.');
    expect(html).toContain('0,6 km');
    expect(html).toContain('dipindahkan petugas');
    expect(html).toContain('Belum ada keluarga dari wilayah ini');
    expect(html).toContain('4 keluarga tidak mendapat tempat');
    expect(html).toContain('1 keluarga sudah diundang');
    // One form per kelurahan row (three), each posting to the event's site-areas with CSRF and the preview's area.
    expect(html.match(/action="\/console\/distribution\/7\/site-areas"/g)).toHaveLength(3);
    expect(html.match(/name="_csrf" value="tok-123"/g)).toHaveLength(3);
    expect(html.match(/name="area" value="kec:10"/g)).toHaveLength(3);
    // Teluk Tering follows the nearest; Sukajadi was moved to site 2, which is selected.
    const sukajadi = html.slice(html.indexOf('data-kelurahan="12"'));
    expect(sukajadi).toMatch(/<option value="2" selected="">/);
    const teluk = html.slice(html.indexOf('data-kelurahan="11"'), html.indexOf('data-kelurahan="12"'));
    expect(teluk).toMatch(/<option value="nearest" selected="">Lokasi terdekat<\/option>/);
  });
});
