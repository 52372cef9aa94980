import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { complaintEvents, complaintRoutes, complaints, kecamatan } from '../../../src/db/schema/index.ts';
import { complaintStatus, fileComplaint } from '../../../src/services/complaints/file.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { memberOf, newContact, resident, seededDatabase } from '../seeded.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase();
});
afterAll(async () => {
  await database?.dispose();
});

// Wednesday 23 December 2026, 10:00 WIB: the 24th and 25th are holidays, then a weekend.
const BEFORE_CHRISTMAS = new Date('2026-12-23T03:00:00Z');

async function row(id: number) {
  const [c] = await database.db.select().from(complaints).where(eq(complaints.id, id));
  return c!;
}

async function kecamatanId(name: string) {
  const [k] = await database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, name));
  return k!.id;
}

describe('fileComplaint', () => {
  it('gives an ADU-YYMM-NNNNN tracking id, routes it, and sets the verify deadline in working days', async () => {
    const contactId = await newContact(database.db);
    const { id, trackingId } = await fileComplaint(database.db, {
      contactId,
      category: 'site_too_far',
      summary: 'Lokasi penyaluran terlalu jauh dari rumah',
      details: { distanceKm: 12 },
      anonymous: false,
      now: BEFORE_CHRISTMAS,
    });
    expect(trackingId).toBe(`ADU-2612-${String(id).padStart(5, '0')}`);
    const c = await row(id);
    expect(c).toMatchObject({
      trackingId,
      category: 'site_too_far',
      status: 'received',
      contactId,
      memberId: null,
      kecamatanId: null,
      bidang: 'Linjamsos',
      anonymous: false,
      details: { distanceKm: 12 },
      createdAt: BEFORE_CHRISTMAS,
    });
    // 24, 25 Dec holidays; 26, 27 weekend; 28, 29, 30 count.
    expect(c.verifyDueAt).toEqual(new Date('2026-12-30T03:00:00Z'));
    const events = await database.db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, id));
    expect(events).toEqual([expect.objectContaining({ kind: 'message_in', body: 'Lokasi penyaluran terlalu jauh dari rumah' })]);
  });

  it('takes the month in the office zone: 1 December 01:00 WIB is still November in UTC', async () => {
    const contactId = await newContact(database.db);
    const { trackingId } = await fileComplaint(database.db, {
      contactId,
      category: 'other',
      summary: 'x',
      details: {},
      anonymous: true,
      now: new Date('2026-11-30T18:00:00Z'),
    });
    expect(trackingId).toMatch(/^ADU-2612-\d{5}$/);
    expect((await fileComplaint(database.db, { contactId, category: 'other', summary: 'y', details: {}, anonymous: true, now: new Date('2026-11-30T18:00:00Z'), timeZone: 'UTC' })).trackingId).toMatch(/^ADU-2611-\d{5}$/);
  });

  it("derives the kecamatan from a verified member's household, and a kecamatan route beats the city-wide one", async () => {
    const contactId = await newContact(database.db);
    const dewi = await memberOf(database.db, resident('Dewi').nik);
    const sekupang = await kecamatanId('Sekupang');
    await database.db.insert(complaintRoutes).values({ category: 'not_received', kecamatanId: sekupang, bidang: 'Dayasos' });

    const { id } = await fileComplaint(database.db, {
      contactId,
      memberId: dewi.id,
      category: 'not_received',
      summary: 'Bantuan belum diterima',
      details: {},
      anonymous: false,
      now: BEFORE_CHRISTMAS,
    });
    expect(await row(id)).toMatchObject({ memberId: dewi.id, kecamatanId: sekupang, bidang: 'Dayasos' });

    const elsewhere = await fileComplaint(database.db, {
      contactId,
      category: 'not_received',
      summary: 'Bantuan belum diterima',
      details: {},
      anonymous: false,
      kecamatanId: await kecamatanId('Batam Kota'),
      now: BEFORE_CHRISTMAS,
    });
    expect((await row(elsewhere.id)).bidang).toBe('Linjamsos');
  });

  it('gives unique, increasing tracking ids to complaints filed at once', async () => {
    const contactId = await newContact(database.db);
    const filed = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fileComplaint(database.db, { contactId, category: 'service', summary: `nomor ${i}`, details: {}, anonymous: false, now: BEFORE_CHRISTMAS }),
      ),
    );
    expect(new Set(filed.map((f) => f.trackingId)).size).toBe(10);
    for (const f of filed) expect(f.trackingId.endsWith(String(f.id).padStart(5, '0'))).toBe(true);
  });

  it('refuses an empty summary', async () => {
    const contactId = await newContact(database.db);
    await expect(fileComplaint(database.db, { contactId, category: 'other', summary: '  ', details: {}, anonymous: false, now: BEFORE_CHRISTMAS })).rejects.toThrow();
  });
});

describe('complaintStatus', () => {
  it('answers the chat that filed it, in any spelling of the tracking id', async () => {
    const contactId = await newContact(database.db);
    const { trackingId } = await fileComplaint(database.db, {
      contactId,
      category: 'wrong_data',
      summary: 'Nama salah',
      details: {},
      anonymous: false,
      now: BEFORE_CHRISTMAS,
    });
    const [, yymm, n] = trackingId.split('-');
    for (const typed of [trackingId, trackingId.toLowerCase(), `adu ${yymm} ${n}`, ` ADU${yymm}${n} `, `ADU-${yymm}-${Number(n)}`]) {
      expect(await complaintStatus(database.db, typed, { contactId, memberId: null })).toMatchObject({
        trackingId,
        category: 'wrong_data',
        status: 'received',
        createdAt: BEFORE_CHRISTMAS,
        verifyDueAt: new Date('2026-12-30T03:00:00Z'),
        answerDueAt: null,
      });
    }
  });

  it('is null for another chat, for an unknown id and for garbage', async () => {
    const contactId = await newContact(database.db);
    const stranger = await newContact(database.db);
    const { trackingId } = await fileComplaint(database.db, { contactId, category: 'other', summary: 'x', details: {}, anonymous: false, now: BEFORE_CHRISTMAS });
    expect(await complaintStatus(database.db, trackingId, { contactId: stranger, memberId: null })).toBeNull();
    expect(await complaintStatus(database.db, 'ADU-2612-99999', { contactId, memberId: null })).toBeNull();
    expect(await complaintStatus(database.db, 'halo', { contactId, memberId: null })).toBeNull();
  });

  it('answers the verified member on another chat, and shows the latest staff message', async () => {
    const phone = await newContact(database.db);
    const laptop = await newContact(database.db);
    const siti = await memberOf(database.db, resident('Siti').nik);
    const { id, trackingId } = await fileComplaint(database.db, {
      contactId: phone,
      memberId: siti.id,
      category: 'not_received',
      summary: 'Sembako bulan ini belum masuk',
      details: {},
      anonymous: false,
      now: BEFORE_CHRISTMAS,
    });
    await database.db.insert(complaintEvents).values([
      { complaintId: id, kind: 'message_out', body: 'Sedang kami periksa', createdAt: new Date('2026-12-28T02:00:00Z') },
      { complaintId: id, kind: 'note', body: 'catatan internal', createdAt: new Date('2026-12-29T02:00:00Z') },
      { complaintId: id, kind: 'message_out', body: 'Dana sudah dikirim ulang', createdAt: new Date('2026-12-29T03:00:00Z') },
    ]);
    await database.db.update(complaints).set({ status: 'answered', updatedAt: new Date('2026-12-29T03:00:00Z') }).where(eq(complaints.id, id));

    const seen = await complaintStatus(database.db, trackingId, { contactId: laptop, memberId: siti.id });
    expect(seen).toMatchObject({ status: 'answered', lastStaffMessage: 'Dana sudah dikirim ulang', updatedAt: new Date('2026-12-29T03:00:00Z') });
    expect(await complaintStatus(database.db, trackingId, { contactId: laptop, memberId: null })).toBeNull();
    expect(await complaintStatus(database.db, trackingId, { contactId: laptop, memberId: siti.id + 1 })).toBeNull();
  });

  it('has no lastStaffMessage before staff answer', async () => {
    const contactId = await newContact(database.db);
    const { trackingId } = await fileComplaint(database.db, { contactId, category: 'usulan', summary: 'Mohon didaftarkan', details: {}, anonymous: false, now: BEFORE_CHRISTMAS });
    const status = await complaintStatus(database.db, trackingId, { contactId, memberId: null });
    expect(status).not.toHaveProperty('lastStaffMessage');
  });
});
