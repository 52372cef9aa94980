import { asc } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { programs } from '../../db/schema/index.ts';
import { matchByName } from '../../domain/name-match.ts';
import { bidangOf } from '../../domain/bidang.ts';
import type { Bidang } from '../../domain/vocabulary.ts';

// The program a resident names in a report ("PKH", "sembako", "bansos lansia", "sembakko"), by its code or
// its name in either language, a typo allowed (domain/name-match.ts). A report about a program goes to the
// bidang that answers for it (services/complaints/file.ts), so a guess is worse than none: two programs that
// fit equally well match neither.

/** Words every program name may carry that say nothing about which program it is. */
const GENERIC = new Set(['program', 'bantuan', 'bansos', 'sosial', 'kota', 'batam', 'aid', 'for', 'the', 'of', 'city', 'national', 'dan', 'and', 'untuk', 'saya', 'my']);

export interface MatchedProgram {
  id: number;
  code: string;
  /** The bidang that answers for it, when the program names one the office has. */
  bidang: Bidang | null;
}

export async function matchProgram(db: Db, typed: string): Promise<MatchedProgram | null> {
  if (typed.trim() === '') return null;
  const rows = await db.select({ id: programs.id, code: programs.code, name: programs.name, nameEn: programs.nameEn, bidang: programs.bidang }).from(programs).orderBy(asc(programs.id));
  const hit = matchByName(
    typed,
    rows.map((p) => ({ item: p, names: [p.code, p.name, p.nameEn] })),
    GENERIC,
  );
  if (!hit) return null;
  return { id: hit.id, code: hit.code, bidang: bidangOf(hit.bidang) };
}
