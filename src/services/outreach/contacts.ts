import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/rows.ts';
import { phoneChatId } from '../../domain/phone.ts';
import type { PhoneChannel } from './env.ts';

// The chat that reaches a registry phone on the phone channel, created when the office never wrote to it
// (identity/registry-phone.ts phoneContact does the same for one number). A chat of its own, not linked to
// anyone: when the resident answers from that number, the answer links it by possession
// (identity/outreach-link.ts), and until then nothing about the family is shown to it beyond what the
// office sent first.

export interface PhoneChat {
  contactId: number;
  language: string | null;
  lastInboundAt: Date | null;
}

const CHUNK = 20_000;

export async function phoneChats(db: Db, channel: PhoneChannel, phones: readonly string[]): Promise<Map<string, PhoneChat>> {
  const out = new Map<string, PhoneChat>();
  const unique = [...new Set(phones)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const part = unique.slice(i, i + CHUNK);
    // Digits, and whatsapp-web.js's "@c.us": nothing an array literal must quote.
    const phoneList = `{${part.join(',')}}`;
    const idList = `{${part.map((p) => phoneChatId(channel, p)).join(',')}}`;
    // New chats come back from the insert; chats that exist from the select, which reads the table as it was
    // before this statement (a CTE's insert is not visible to its siblings), so each number comes back once.
    const rows = rowsOf<{ id: number | string; phone: string; language: string | null; last_inbound_at: Date | string | null }>(
      await db.execute(sql`
        with x as (select unnest(${phoneList}::text[]) as phone, unnest(${idList}::text[]) as external_id),
        ins as (
          insert into contacts (channel, external_id, phone)
          select ${channel}, external_id, phone from x
          on conflict (channel, external_id) do nothing
          returning id, phone, language, last_inbound_at
        )
        select id, phone, language, last_inbound_at from ins
        union all
        select c.id, x.phone, c.language, c.last_inbound_at from contacts c join x on c.channel = ${channel} and c.external_id = x.external_id`),
    );
    for (const r of rows) {
      out.set(r.phone, { contactId: Number(r.id), language: r.language, lastInboundAt: r.last_inbound_at === null ? null : new Date(r.last_inbound_at) });
    }
  }
  return out;
}
