import type { Db } from '../../../db/client.ts';
import { kecamatan, kelurahan } from '../../../db/schema/index.ts';

// Kecamatan and kelurahan as an export writes them: by name in any case and spacing, or by Kemendagri code.
// A kelurahan name is only unique inside its kecamatan, so it is always resolved there.

export type AreaResult = { ok: true; kelurahanId: number; kecamatanId: number } | { ok: false; reason: 'kecamatan_unknown' | 'kelurahan_unknown' | 'kelurahan_not_in_kecamatan' };

interface KelurahanRef {
  id: number;
  kecamatanId: number;
}

export interface AreaIndex {
  resolve(kelurahanText: string, kecamatanText: string): AreaResult;
}

/** Case, spacing and a leading "Kelurahan"/"Kecamatan"/"Kel."/"Kec." do not matter. */
export function normalizeAreaName(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^(kelurahan|kecamatan|kel\.?|kec\.?|desa)\s+/, '');
}

const CODE = /^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/;

export async function loadAreaIndex(db: Db): Promise<AreaIndex> {
  const kecRows = await db.select({ id: kecamatan.id, code: kecamatan.code, name: kecamatan.name }).from(kecamatan);
  const kelRows = await db.select({ id: kelurahan.id, kecamatanId: kelurahan.kecamatanId, code: kelurahan.code, name: kelurahan.name }).from(kelurahan);

  const kecByCode = new Map(kecRows.map((k) => [k.code, k.id]));
  const kecByName = new Map<string, number | null>(); // null: the same name in two cities, so only a code will do
  for (const k of kecRows) {
    const key = normalizeAreaName(k.name);
    kecByName.set(key, kecByName.has(key) ? null : k.id);
  }
  const kelByCode = new Map<string, KelurahanRef>(kelRows.map((k) => [k.code, { id: k.id, kecamatanId: k.kecamatanId }]));
  const kelByName = new Map<string, KelurahanRef[]>();
  for (const k of kelRows) {
    const key = normalizeAreaName(k.name);
    const list = kelByName.get(key) ?? [];
    list.push({ id: k.id, kecamatanId: k.kecamatanId });
    kelByName.set(key, list);
  }

  const cache = new Map<string, AreaResult>(); // an export repeats the same few hundred pairs a million times
  return {
    resolve(kelText, kecText) {
      const cacheKey = `${kelText}\u0000${kecText}`;
      const hit = cache.get(cacheKey);
      if (hit) return hit;
      const result = resolveUncached(kelText.trim(), kecText.trim());
      if (cache.size < 100_000) cache.set(cacheKey, result);
      return result;
    },
  };

  function resolveUncached(kelText: string, kecText: string): AreaResult {
    const kecId = CODE.test(kecText) ? kecByCode.get(kecText) : kecByName.get(normalizeAreaName(kecText));
    if (kecId === undefined || kecId === null) return { ok: false, reason: 'kecamatan_unknown' };
    if (CODE.test(kelText)) {
      const kel = kelByCode.get(kelText);
      if (!kel) return { ok: false, reason: 'kelurahan_unknown' };
      return kel.kecamatanId === kecId ? { ok: true, kelurahanId: kel.id, kecamatanId: kecId } : { ok: false, reason: 'kelurahan_not_in_kecamatan' };
    }
    const candidates = kelByName.get(normalizeAreaName(kelText));
    if (!candidates) return { ok: false, reason: 'kelurahan_unknown' };
    const inKec = candidates.find((k) => k.kecamatanId === kecId);
    return inKec ? { ok: true, kelurahanId: inKec.id, kecamatanId: kecId } : { ok: false, reason: 'kelurahan_not_in_kecamatan' };
  }
}
