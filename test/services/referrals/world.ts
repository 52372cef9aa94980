// A small world for the referral suites: the distribution fixtures' city (two kecamatan), staff of each kind
// (made through the real account code, so the HTTP suites can sign in), agencies, and cases of each kind —
// complaints filed the way the chat files them, a field task and a finding inserted as services/field and the
// scan leave them.

import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/db/client.ts';
import { agencies, complaints, contacts, fieldTasks, findings, outbox } from '../../../src/db/schema/index.ts';
import type { Channel } from '../../../src/domain/vocabulary.ts';
import { createI18n } from '../../../src/i18n.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { fileComplaint } from '../../../src/services/complaints/file.ts';
import type { ReferralOptions } from '../../../src/services/referrals/shared.ts';
import { makeArea, NOW, TZ, type DistributionArea } from '../distribution/fixtures.ts';
import { staffActor } from '../staff/fixtures.ts';

export { NOW, TZ };

export type Staff = Actor & { email: string; password: string };

export interface ReferralWorld {
  area: DistributionArea;
  admin: Staff;
  supervisorA: Staff;
  supervisorB: Staff;
  operatorA: Staff;
  operatorB: Staff;
  viewer: Staff;
  /** Active agencies: an LKS of kecA and a city-wide government agency; and one deactivated. */
  panti: number;
  dukcapil: number;
  closed: number;
  opts: ReferralOptions;
}

export async function referralWorld(db: Db): Promise<ReferralWorld> {
  const area = await makeArea(db);
  const [panti, dukcapil, closed] = await db
    .insert(agencies)
    .values([
      { name: 'Panti Werdha Kasih', kind: 'lks', kecamatanId: area.kecA, services: 'panti jompo, 40 tempat', phone: '0778 123456' },
      { name: 'Dukcapil Kota', kind: 'government' },
      { name: 'Yayasan Lama', kind: 'lks', active: false },
    ])
    .returning({ id: agencies.id });
  return {
    area,
    admin: await staffActor(db, { role: 'admin' }),
    supervisorA: await staffActor(db, { role: 'supervisor', kecamatanId: area.kecA }),
    supervisorB: await staffActor(db, { role: 'supervisor', kecamatanId: area.kecB }),
    operatorA: await staffActor(db, { role: 'operator', kecamatanId: area.kecA }),
    operatorB: await staffActor(db, { role: 'operator', kecamatanId: area.kecB }),
    viewer: await staffActor(db, { role: 'viewer' }),
    panti: panti!.id,
    dukcapil: dukcapil!.id,
    closed: closed!.id,
    opts: { now: NOW, timeZone: TZ, i18n: await createI18n('id'), defaultLocale: 'id' },
  };
}

let n = 0;
export async function contact(db: Db, opts: { channel?: Channel; language?: string | null; unreachable?: boolean; lastInboundAt?: Date | null } = {}): Promise<number> {
  const [row] = await db
    .insert(contacts)
    .values({
      channel: opts.channel ?? 'telegram',
      externalId: `ref-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 8)}`,
      language: opts.language ?? null,
      lastInboundAt: opts.lastInboundAt === undefined ? NOW : opts.lastInboundAt,
      unreachableAt: opts.unreachable ? NOW : null,
    })
    .returning({ id: contacts.id });
  return row!.id;
}

/**
 * A PPKS report (a complaint of category 'ppks') from `contactId` in `kecamatanId`; with null, one whose chat
 * is no longer linked to it (a report typed in at the counter keeps no chat).
 */
export async function ppksReport(db: Db, contactId: number | null, kecamatanId: number, opts: { anonymous?: boolean } = {}): Promise<{ id: number; trackingId: string }> {
  const filed = await fileComplaint(db, {
    contactId: contactId ?? (await contact(db)),
    memberId: null,
    category: 'ppks',
    summary: 'Lansia tinggal sendiri, tidak ada yang merawat',
    details: {},
    anonymous: opts.anonymous ?? false,
    kecamatanId,
    now: NOW,
  });
  if (contactId === null) await db.update(complaints).set({ contactId: null }).where(eq(complaints.id, filed.id));
  return { id: filed.id, trackingId: filed.trackingId };
}

export async function fieldTask(db: Db, area: DistributionArea, kecamatan: 'A' | 'B'): Promise<number> {
  const [row] = await db
    .insert(fieldTasks)
    .values({
      kind: 'ppks',
      sourceId: 900_000 + ++n,
      kecamatanId: kecamatan === 'A' ? area.kecA : area.kecB,
      kelurahanId: kecamatan === 'A' ? area.kelA1 : area.kelB1,
      dueOn: '2026-12-01',
    })
    .returning({ id: fieldTasks.id });
  return row!.id;
}

export async function finding(db: Db, kecamatanId: number | null): Promise<number> {
  const [row] = await db
    .insert(findings)
    .values({ kind: 'reported_deceased', key: `ref-${++n}-${Math.random().toString(36).slice(2, 8)}`, kecamatanId })
    .returning({ id: findings.id });
  return row!.id;
}

/** The texts queued for a contact, oldest first. */
export async function queuedTexts(db: Db, contactId: number): Promise<{ text: string; priority: number; template: unknown }[]> {
  const rows = await db.select().from(outbox).where(eq(outbox.contactId, contactId)).orderBy(outbox.id);
  return rows.map((r) => ({ text: String(r.payload.text), priority: r.priority, template: r.payload.template ?? null }));
}
