import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { agents, kelurahan } from '../../db/schema/index.ts';
import { kecamatanOfMember } from '../areas.ts';
import { matchByName } from '../../domain/name-match.ts';

// The agent a resident names in a report when they typed it ("ewarong bu ani", "agen brilink belian"): by its
// name, within the family's kecamatan when the chat is verified, else across the city; a typo allowed. Closed
// agents too — "it has been closed for weeks" is one of the complaints. Two that fit equally well match
// neither, and the report is filed with the resident's words for an officer to read.

/** What an agent's name says about its kind, not which one it is. */
const GENERIC = new Set(['e', 'warong', 'ewarong', 'warung', 'agen', 'agent', 'toko', 'kube', 'bank', 'brilink', 'bni', 'mandiri', 'pos', 'kantor', 'di', 'yang']);

export async function matchAgent(db: Db, typed: string, who: { memberId: number | null }): Promise<{ id: number; name: string } | null> {
  if (typed.trim() === '') return null;
  const kecamatanId = who.memberId === null ? null : await kecamatanOfMember(db, who.memberId);
  const rows = await db
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .innerJoin(kelurahan, eq(kelurahan.id, agents.kelurahanId))
    .where(kecamatanId === null ? undefined : eq(kelurahan.kecamatanId, kecamatanId));
  const hit = matchByName(
    typed,
    rows.map((r) => ({ item: r.id, names: [r.name] })),
    GENERIC,
  );
  return hit === null ? null : rows.find((r) => r.id === hit)!;
}
