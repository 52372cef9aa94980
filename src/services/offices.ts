// Where to go in person. The FAQ reads these; the city-wide office first, then the kecamatan service points.

import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { kecamatan, offices } from '../db/schema/index.ts';
import { parseSchedule, type WeeklySchedule } from '../domain/office-hours.ts';

export interface Office {
  id: number;
  name: string;
  address: string;
  hours: string;
  /** The name and hours for English-reading residents; null: the Indonesian serves both. */
  nameEn: string | null;
  hoursEn: string | null;
  /** The hours as data, when the office keeps them so: shown in the resident's language. */
  schedule: WeeklySchedule | null;
  phone: string | null;
  /** Null for an office that serves the whole city. */
  kecamatan: string | null;
}

export async function listOffices(db: Db): Promise<Office[]> {
  const rows = await db
    .select({
      id: offices.id,
      name: offices.name,
      nameEn: offices.nameEn,
      address: offices.address,
      hours: offices.hours,
      hoursEn: offices.hoursEn,
      schedule: offices.schedule,
      phone: offices.phone,
      kecamatan: kecamatan.name,
    })
    .from(offices)
    .leftJoin(kecamatan, eq(kecamatan.id, offices.kecamatanId))
    .orderBy(sql`${offices.kecamatanId} nulls first`, asc(kecamatan.name), asc(offices.name), asc(offices.id));
  return rows.map((r) => ({ ...r, schedule: parseSchedule(r.schedule) }));
}
