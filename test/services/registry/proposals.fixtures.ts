// Shared set-up for the proposal export/outcome suites: two kecamatan, one kelurahan with one registered
// family, and proposals filed the way flows/complaint.ts files them (its answer keys in details).

import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/db/client.ts';
import { attachmentBlobs, attachments, contacts, households, kelurahan, members } from '../../../src/db/schema/index.ts';
import { type Channel } from '../../../src/domain/vocabulary.ts';
import { fileComplaint, type ComplaintCategory } from '../../../src/services/complaints/file.ts';
import { twoKecamatan } from '../staff/fixtures.ts';

export const FAMILY = { noKk: '2171010101010001', nik: '2171015203850001', name: 'SITI AMINAH', address: 'Perumahan Griya Asri Blok C No. 7', rt: '003', rw: '011' };
export const OTHER_NIK = '2171021712900002';

export interface ProposalCity {
  sagulung: number;
  nongsa: number;
  kelurahanId: number;
  memberId: number;
}

export async function proposalCity(db: Db): Promise<ProposalCity> {
  const { sagulung, nongsa } = await twoKecamatan(db);
  const [kel] = await db.insert(kelurahan).values({ kecamatanId: sagulung, code: '99.71.01.1001', name: 'Sungai Langkai' }).returning({ id: kelurahan.id });
  const [hh] = await db
    .insert(households)
    .values({ noKk: FAMILY.noKk, address: FAMILY.address, rt: FAMILY.rt, rw: FAMILY.rw, kelurahanId: kel!.id, desil: 2, source: 'test' })
    .returning({ id: households.id });
  const [m] = await db
    .insert(members)
    .values({ householdId: hh!.id, nik: FAMILY.nik, name: FAMILY.name, birthDate: '1985-03-12', sex: 'P', relationship: 'kepala' })
    .returning({ id: members.id });
  return { sagulung, nongsa, kelurahanId: kel!.id, memberId: m!.id };
}

let n = 0;
export async function residentContact(db: Db, opts: { channel?: Channel; language?: string; memberId?: number | null; displayName?: string; lastInboundAt?: Date | null } = {}) {
  const [c] = await db
    .insert(contacts)
    .values({
      channel: opts.channel ?? 'telegram',
      externalId: `prop-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 8)}`,
      language: opts.language ?? null,
      memberId: opts.memberId ?? null,
      displayName: opts.displayName ?? null,
      lastInboundAt: opts.lastInboundAt ?? null,
    })
    .returning({ id: contacts.id });
  return c!.id;
}

export async function fileProposal(
  db: Db,
  opts: { contactId: number; category: ComplaintCategory; details: Record<string, unknown>; now: Date; kecamatanId?: number | null; memberId?: number | null; anonymous?: boolean },
) {
  return fileComplaint(db, {
    contactId: opts.contactId,
    memberId: opts.memberId ?? null,
    category: opts.category,
    summary: 'laporan warga',
    details: opts.details,
    anonymous: opts.anonymous ?? false,
    ...(opts.kecamatanId !== undefined ? { kecamatanId: opts.kecamatanId } : {}),
    now: opts.now,
  });
}

/** A photo already fetched and stored, as the attachment job leaves it. */
export async function storedPhoto(db: Db, complaintId: number): Promise<number> {
  const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, complaintId & 0xff, 1, 2, 3]);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await db.insert(attachmentBlobs).values({ sha256, bytes }).onConflictDoNothing();
  const [a] = await db
    .insert(attachments)
    .values({ complaintId, channel: 'telegram', ref: 'file-1', status: 'stored', mimeType: 'image/jpeg', size: bytes.length, sha256, storedAt: new Date() })
    .returning({ id: attachments.id });
  return a!.id;
}

export async function setLanguage(db: Db, contactId: number, language: string) {
  await db.update(contacts).set({ language }).where(eq(contacts.id, contactId));
}
