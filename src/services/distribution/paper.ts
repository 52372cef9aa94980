// The call-down list: invited households that no message reaches — no linked chat and no usable registry
// phone, a family that wrote BERHENTI (even after its invitation reached it: no reminder will), or every
// message of the invitation failed (a number not on WhatsApp,
// a template Meta refused). The list goes to the RT/RW head, the TKSK or the PSM, who calls the phone it
// carries or knocks on the door with a paper invitation. It is read off the outbox, so a household whose
// messages all failed joins it by itself, without anyone re-running anything. Staff read addresses, phones
// and (masked) names here, so every read is audited.

import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { formatInvitationCode } from '../../domain/invitation-code.ts';
import { maskName } from '../../domain/mask.ts';
import type { Actor } from '../actor.ts';
import { audit } from '../audit.ts';
import { canManage, eventInScope, refuse, translatorOf, type DistributionOptions, type Outcome } from './common.ts';
import { csvOf, type Sheet } from '../../domain/csv.ts';

/**
 * The invitation `i` (an open one) that no message reaches. Reached means a live message to a chat that has not
 * since said BERHENTI: a family whose only reached chat stopped gets no reminder, so staff call it; one still
 * reached on another chat is not called. The call-down list and the field tasks (services/field) read it alike.
 */
export const notReached = sql`not exists (select 1 from outbox o join contacts c on c.id = o.contact_id
  where o.invitation_id = i.id and o.status in ('pending', 'sending', 'sent') and c.stopped_at is null)`;

/** Why the household is on the list: never messaged (no chat, no usable number), said stop, or every message failed. */
export type CallDownReason = 'no_message' | 'opted_out' | 'failed';

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
  /** A number to call as the registry holds it (a landline too: it cannot take WhatsApp but can ring). */
  phone: string | null;
  reason: CallDownReason;
}

export async function householdsWithoutChat(db: Db, actor: Actor, eventId: number, opts: { now: Date }): Promise<Outcome<{ rows: PaperInvitation[] }>> {
  canManage(actor);
  const event = await eventInScope(db, actor, eventId);
  if (!event) return refuse('not_found');
  const result = await db.execute(sql`
    select i.id as invitation_id, i.household_id, i.code, i.round, h.address, h.rt, h.rw, k.name as kelurahan,
      (select m.name from members m where m.household_id = h.id order by (m.relationship = 'kepala') desc, m.id limit 1) as head_name,
      (select case when m.phone_norm is not null then '0' || substr(m.phone_norm, 3) else btrim(m.phone) end
        from members m where m.household_id = h.id and m.phone is not null and btrim(m.phone) <> '' and not m.deceased
        order by (m.phone_norm is null), case m.relationship when 'kepala' then 0 when 'istri' then 1 when 'suami' then 1 else 2 end, m.id
        limit 1) as phone,
      case
        when exists (select 1 from outbox o where o.invitation_id = i.id and o.status = 'skipped')
          or exists (select 1 from contacts c join members m on m.id = c.member_id where m.household_id = h.id and c.stopped_at is not null)
          or exists (select 1 from contacts c join members m on m.phone_norm = c.phone where m.household_id = h.id and c.stopped_at is not null)
          then 'opted_out'
        when exists (select 1 from outbox o where o.invitation_id = i.id and o.status = 'failed') then 'failed'
        else 'no_message' end as reason
    from invitations i
    join households h on h.id = i.household_id
    join kelurahan k on k.id = h.kelurahan_id
    where i.event_id = ${event.id} and i.status in ('invited', 'confirmed', 'reschedule_requested')
      ${actor.kecamatanId === null ? sql`` : sql`and k.kecamatan_id = ${actor.kecamatanId}`}
      and ${notReached}
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
    phone: (r.phone as string | null) ?? null,
    reason: String(r.reason) as CallDownReason,
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
  const sheet: Sheet = {
    header,
    rows: r.rows.map((row) => [row.code, row.address, row.rt, row.rw, row.kelurahan, row.headName, row.phone, t(`outreach:paperReason.${row.reason}`) as string, row.round]),
  };
  return { ok: true, sheet, csv: csvOf(sheet), count: r.rows.length };
}
