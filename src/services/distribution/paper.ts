// Households invited but reachable by no chat: the list RT/RW heads or the TKSK take door to door with a
// paper invitation. Staff read addresses and (masked) names here, so every read is audited.

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { formatInvitationCode } from '../../domain/invitation-code.ts';
import { maskName } from '../../domain/mask.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { canManage, eventInScope, refuse, translatorOf, type DistributionOptions, type Outcome } from './common.ts';
import { csvOf, type Sheet } from '../../domain/csv.ts';

export interface PaperInvitation {
  invitationId: number;
  householdId: number;
  code: string;
  round: number;
  address: string;
  rt: string | null;
  rw: string | null;
  kelurahan: string;
  /** "S*** A****": enough for the RT head to recognise the family. */
  headName: string;
}

export async function householdsWithoutChat(db: Db, actor: Actor, eventId: number, opts: { now: Date }): Promise<Outcome<{ rows: PaperInvitation[] }>> {
  canManage(actor);
  const event = await eventInScope(db, actor, eventId);
  if (!event) return refuse('not_found');
  const result = await db.execute(sql`
    select i.id as invitation_id, i.household_id, i.code, i.round, h.address, h.rt, h.rw, k.name as kelurahan,
      (select m.name from members m where m.household_id = h.id order by (m.relationship = 'kepala') desc, m.id limit 1) as head_name
    from invitations i
    join households h on h.id = i.household_id
    join kelurahan k on k.id = h.kelurahan_id
    where i.event_id = ${event.id} and i.status in ('invited', 'confirmed', 'reschedule_requested')
      ${actor.kecamatanId === null ? sql`` : sql`and k.kecamatan_id = ${actor.kecamatanId}`}
      and not exists (
        -- A chat that wrote BERHENTI gets no invitation: its household is invited on paper like one without a chat.
        select 1 from contacts c join members m on m.id = c.member_id
        where m.household_id = h.id and c.unreachable_at is null and c.stopped_at is null)
    order by k.name, h.rw, h.rt, h.address, i.id`);
  const rows = rowsOf<Record<string, string | number | null>>(result).map((r) => ({
    invitationId: Number(r.invitation_id),
    householdId: Number(r.household_id),
    code: formatInvitationCode(String(r.code)),
    round: Number(r.round),
    address: String(r.address),
    rt: (r.rt as string | null) ?? null,
    rw: (r.rw as string | null) ?? null,
    kelurahan: String(r.kelurahan),
    headName: maskName(String(r.head_name ?? '')),
  }));
  await audit(db, actor, { action: 'distribution.paper_list.read', entity: 'distribution_event', entityId: event.id, details: { rowCount: rows.length }, at: opts.now });
  return { ok: true, rows };
}


/** The same list as CSV (UTF-8, header in the staff member's language), for printing or a spreadsheet. */
export async function householdsWithoutChatCsv(
  db: Db,
  actor: Actor,
  eventId: number,
  opts: Pick<DistributionOptions, 'now' | 'i18n'> & { locale?: 'id' | 'en' },
): Promise<Outcome<{ sheet: Sheet; csv: string; count: number }>> {
  const r = await householdsWithoutChat(db, actor, eventId, opts);
  if (!r.ok) return r;
  const t = (await translatorOf(opts)).getFixedT(opts.locale ?? 'id');
  const header = (t('distribution:paper.csvHeader') as string).split(',');
  const sheet: Sheet = { header, rows: r.rows.map((row) => [row.code, row.address, row.rt, row.rw, row.kelurahan, row.headName, row.round]) };
  return { ok: true, sheet, csv: csvOf(sheet), count: r.rows.length };
}
