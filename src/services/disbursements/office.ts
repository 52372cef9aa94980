import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { offices } from '../../db/schema/index.ts';

// Where a family with a failed transfer is sent: the office of its kecamatan, else the city's own office.
// (Offices are kept per kecamatan, not per bidang: the kecamatan office is the nearest door, and it passes the
// case to the bidang that owns the program.)

export interface OfficeRef {
  name: string;
  nameEn: string | null;
  phone: string | null;
}

export interface OfficeDirectory {
  /** The office for a family of this kecamatan; null when the city keeps no office at all. */
  officeFor(kecamatanId: number | null): OfficeRef | null;
}

export async function officeDirectory(db: Db): Promise<OfficeDirectory> {
  const rows = await db
    .select({ kecamatanId: offices.kecamatanId, name: offices.name, nameEn: offices.nameEn, phone: offices.phone })
    .from(offices)
    .orderBy(sql`${offices.kecamatanId} nulls first`, asc(offices.id));
  const byKecamatan = new Map<number, OfficeRef>();
  let city: OfficeRef | null = null;
  for (const r of rows) {
    const ref = { name: r.name, nameEn: r.nameEn, phone: r.phone };
    if (r.kecamatanId === null) city ??= ref;
    else if (!byKecamatan.has(r.kecamatanId)) byKecamatan.set(r.kecamatanId, ref);
  }
  return { officeFor: (kecamatanId) => (kecamatanId !== null ? byKecamatan.get(kecamatanId) : undefined) ?? city };
}
