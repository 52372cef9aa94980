// Shared set-up for the complaint lifecycle suites: staff actors inserted directly (no login code), areas by
// name, contacts on any channel, and complaints filed the way the chat flow files them.

import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/db/client.ts';
import { complaints, contacts, kecamatan, staffUsers } from '../../../src/db/schema/index.ts';
import { type Channel } from '../../../src/domain/vocabulary.ts';
import type { Actor } from '../../../src/services/actor.ts';
import type { Bidang } from '../../../src/domain/vocabulary.ts';
import { fileComplaint, type ComplaintCategory } from '../../../src/services/complaints/file.ts';
import type { StaffRole } from '../../../src/domain/vocabulary.ts';

let n = 0;
const unique = () => `${process.pid}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

export async function kecamatanId(db: Db, name: string): Promise<number> {
  const [k] = await db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, name));
  if (!k) throw new Error(`no kecamatan ${name}`);
  return k.id;
}

export async function staff(db: Db, role: StaffRole, scope: { kecamatanId?: number | null; bidang?: Bidang | null } = {}): Promise<Actor> {
  const kecamatanId = scope.kecamatanId ?? null;
  const bidang = scope.bidang ?? null;
  const [row] = await db
    .insert(staffUsers)
    .values({ email: `${role}-${unique()}@pintu.test`, name: `Petugas ${role}`, passwordHash: 'not-a-hash', role, kecamatanId, bidang })
    .returning({ id: staffUsers.id });
  return { kind: 'staff', id: row!.id, role, kecamatanId, bidang, ip: '10.0.0.7' };
}

export async function contact(
  db: Db,
  opts: { channel?: Channel; language?: string; lastInboundAt?: Date | null; unreachableAt?: Date | null; displayName?: string } = {},
): Promise<number> {
  const [row] = await db
    .insert(contacts)
    .values({
      channel: opts.channel ?? 'webchat',
      externalId: `lc-${unique()}`,
      language: opts.language ?? null,
      lastInboundAt: opts.lastInboundAt ?? null,
      unreachableAt: opts.unreachableAt ?? null,
      displayName: opts.displayName ?? null,
    })
    .returning({ id: contacts.id });
  return row!.id;
}

export async function file(
  db: Db,
  opts: {
    contactId: number;
    kecamatanId: number | null;
    now: Date;
    category?: ComplaintCategory;
    anonymous?: boolean;
    summary?: string;
    memberId?: number;
    /** The chat's message the report began at, as the complaint flow passes it: the complaint's conversation from there. */
    conversationFrom?: number;
  },
) {
  return fileComplaint(db, {
    contactId: opts.contactId,
    memberId: opts.memberId ?? null,
    category: opts.category ?? 'not_received',
    summary: opts.summary ?? 'Bantuan bulan ini belum diterima',
    details: {},
    anonymous: opts.anonymous ?? false,
    kecamatanId: opts.kecamatanId,
    ...(opts.conversationFrom !== undefined ? { conversationFrom: opts.conversationFrom } : {}),
    now: opts.now,
  });
}

export async function complaintRow(db: Db, id: number) {
  const [c] = await db.select().from(complaints).where(eq(complaints.id, id));
  return c!;
}

/** A wall-clock time in WIB (UTC+7) as an instant. */
export const wib = (local: string) => new Date(`${local}+07:00`);
