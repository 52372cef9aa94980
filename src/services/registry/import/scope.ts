import { Forbidden, requirePermission } from '../../access.ts';
import type { Actor } from '../../actor.ts';

// Who imports, and which rows they may write. A staff member (the console's upload) needs 'registry.import'
// and writes only within their scope: every row is checked against it, and a row outside is refused with its
// line and reason while the rest of the file imports (registry.ts, enrollments.ts). The server's own
// `npm run import` is the `system`: whoever runs it on the server already holds the database, so it is
// city-wide, as the CLI of proposals is.

export type ImportActor = Actor | { kind: 'system' };

/** The kecamatan and bidang an import may write; null means all. */
export interface ImportScope {
  kecamatanId: number | null;
  bidang: string | null;
}

export const CITY_WIDE: ImportScope = { kecamatanId: null, bidang: null };

/**
 * The scope of an import, or Forbidden. The registry (desil, disability, phones) serves every program, so a
 * bidang-scoped account may not import it at all; it imports enrollments of its own bidang's programs.
 */
export function importScope(actor: ImportActor, kind: 'registry' | 'enrollments'): ImportScope {
  if (actor.kind === 'system') return CITY_WIDE;
  requirePermission(actor, 'registry.import');
  if (kind === 'registry' && actor.bidang !== null) throw new Forbidden('scope', 'a bidang-scoped account imports enrollments only');
  return { kecamatanId: actor.kecamatanId, bidang: actor.bidang };
}
