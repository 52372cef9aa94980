import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import type { Channel } from '../../domain/vocabulary.ts';
import { pickLocale } from '../../i18n.ts';
import { transferProblemText } from '../../messages/notices/disbursement.ts';
import { periodLabel } from '../../messages/period.ts';
import { asNotice } from '../../messages/window.ts';
import { enqueueMany, type QueuedMessage } from '../../outbox/enqueue.ts';
import { officeDirectory } from './office.ts';
import type { DisbursementOptions } from './shared.ts';

// The family of each failed or returned line of a file is told once (issue 20): one notice per line to every
// chat linked to a member of the household, in that chat's language, with the office to go to. The notices and
// the lines' notified_at are written in one transaction, so a line is either told and marked, or neither; a
// line already marked is never told again. A family with no linked chat is not told here (the office may not
// write first to a number it only has from the registry, except on WhatsApp with a template, which the
// outreach rounds own): its line stays unmarked and the work page says so.
//
// Bulk priority: a file may fail thousands of families at once, and live replies must not wait behind them. A
// chat that wrote BERHENTI is left out (enqueue drops bulk rows for it), so it is not counted as told either.

interface Target {
  line_id: number | string;
  status: 'failed' | 'returned';
  kecamatan_id: number | null;
  contact_id: number | string;
  channel: Channel;
  language: string | null;
  last_inbound_at: Date | string | null;
  program: string;
  program_en: string | null;
  period: string;
}

export async function tellFamilies(db: Db, fileId: number, opts: DisbursementOptions): Promise<{ notified: number; unreachable: number }> {
  const offices = await officeDirectory(db);
  return db.transaction(async (tx) => {
    const targets = rowsOf<Target>(
      await tx.execute(sql`
        select d.id as line_id, d.status, d.kecamatan_id, c.id as contact_id, c.channel, c.language, c.last_inbound_at,
          p.name as program, p.name_en as program_en, d.period
        from disbursements d
        join programs p on p.id = d.program_id
        join members m on m.household_id = d.household_id
        join contacts c on c.member_id = m.id and c.unreachable_at is null and c.stopped_at is null
        where d.file_id = ${fileId} and d.status in ('failed', 'returned') and d.notified_at is null
        order by d.id, c.id
        for update of d`),
    );
    const rows: QueuedMessage[] = [];
    const told = new Set<number>();
    for (const target of targets) {
      const locale = pickLocale(target.language, opts.defaultLocale);
      const t = opts.i18n.getFixedT(locale);
      const office = offices.officeFor(target.kecamatan_id === null ? null : Number(target.kecamatan_id));
      const text = transferProblemText(t, {
        status: target.status,
        program: locale === 'en' && target.program_en ? target.program_en : target.program,
        period: periodLabel(t, locale, target.period),
        office: office ? { name: locale === 'en' && office.nameEn ? office.nameEn : office.name, phone: office.phone } : null,
      });
      const lastInboundAt = target.last_inbound_at === null ? null : new Date(target.last_inbound_at);
      rows.push({ contactId: Number(target.contact_id), channel: target.channel, message: asNotice({ text }, { channel: target.channel, lastInboundAt }, opts.now, [text]) });
      told.add(Number(target.line_id));
    }
    if (rows.length > 0) await enqueueMany(tx, rows, { priority: 'bulk', now: opts.now });
    if (told.size > 0) {
      await tx.execute(sql`update disbursements set notified_at = ${opts.now.toISOString()}::timestamptz where id = any(${`{${[...told].join(',')}}`}::bigint[])`);
    }
    const [left] = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from disbursements where file_id = ${fileId} and status in ('failed', 'returned') and notified_at is null`),
    );
    return { notified: told.size, unreachable: Number(left?.n ?? 0) };
  });
}

/** How long after its import an unsettled failed transfer is still worth telling a family that links a chat later. */
export const TELL_LATE_DAYS = 30;

/**
 * Families not told yet: a failed or returned line still open and not older than TELL_LATE_DAYS whose family
 * now has a chat it can be told on (linked after the import, or the import's own telling was cut short by a
 * crash between its commit and the notices). Run by a job; each file is told as at import, so a line is told
 * once however many processes run it (tellFamilies locks the lines and skips those marked meanwhile).
 */
export async function tellUntoldFamilies(db: Db, opts: DisbursementOptions): Promise<{ notified: number }> {
  const since = new Date(opts.now.getTime() - TELL_LATE_DAYS * 86_400_000).toISOString();
  const files = rowsOf<{ file_id: number | string }>(
    await db.execute(sql`
      select distinct d.file_id from disbursements d
      where d.status in ('failed', 'returned') and d.notified_at is null and d.work_status = 'open' and d.created_at >= ${since}::timestamptz
        and exists (select 1 from members m join contacts c on c.member_id = m.id and c.unreachable_at is null and c.stopped_at is null
                    where m.household_id = d.household_id)`),
  );
  let notified = 0;
  for (const f of files) notified += (await tellFamilies(db, Number(f.file_id), opts)).notified;
  return { notified };
}
