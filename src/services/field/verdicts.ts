// What the field worker found at the house of a proposal (usulan), as one line of the kelurahan meeting's sheet
// (services/registry/proposals.ts, column hasil_lapangan), from the latest visit of its task.

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { loadResources } from '../../i18n.ts';
import { checklistFor } from './checklist.ts';

let fieldOutcomes: Record<string, string> | undefined;

/**
 * The field verdict of each proposal, from the latest visit of its task (services/field, kind 'proposal'), in
 * the meeting's language: "2026-11-12 · orang ditemukan · 6/9 indikator: Lantai rumah dari tanah…; catatan: …".
 * Masked nothing: the sheet is the meeting's, and the visit holds no NIK.
 */
export async function proposalVerdicts(db: Db, complaintIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (complaintIds.length === 0) return out;
  if (!fieldOutcomes) {
    const ns = loadResources().id?.field as { reasons?: { outcomes?: Record<string, string> } } | undefined;
    fieldOutcomes = ns?.reasons?.outcomes ?? {};
  }
  const visits = rowsOf<{ source_id: number | string; outcome: string; checklist: Record<string, boolean> | string; note: string | null; day: string }>(
    await db.execute(sql`select distinct on (t.source_id) t.source_id, v.outcome, v.checklist, v.note, to_char(v.visited_at, 'YYYY-MM-DD') as day
      from field_tasks t join field_visits v on v.task_id = t.id
      where t.kind = 'proposal' and t.source_id in (${sql.join(complaintIds.map((id) => sql`${id}`), sql`, `)})
      order by t.source_id, v.visited_at desc, v.id desc`),
  );
  const items = (await checklistFor(db, 'proposal')).filter((i) => i.key !== 'met_household');
  for (const v of visits) {
    const list = typeof v.checklist === 'string' ? (JSON.parse(v.checklist) as Record<string, boolean>) : v.checklist;
    const ticked = items.filter((i) => list[i.key] === true);
    const parts = [
      v.day,
      fieldOutcomes[v.outcome] ?? v.outcome,
      `${ticked.length}/${items.length} indikator${ticked.length ? `: ${ticked.map((i) => i.labels.id ?? i.key).join('; ')}` : ''}`,
      v.note ? `catatan: ${v.note}` : '',
    ].filter(Boolean);
    out.set(Number(v.source_id), parts.join(' · '));
  }
  return out;
}
