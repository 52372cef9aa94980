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

const CHUNK = 5000;

export async function phoneChats(db: Db, channel: PhoneChannel, phones: readonly string[]): Promise<Map<string, PhoneChat>> {
  const out = new Map<string, PhoneChat>();
  const unique = [...new Set(phones)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const part = unique.slice(i, i + CHUNK);
    const doc = JSON.stringify(part.map((phone) => ({ phone, external_id: phoneChatId(channel, phone) })));
    // "do update" (a no-op write) so existing chats come back too, in the same statement.
    const rows = rowsOf<{ id: number | string; phone: string; language: string | null; last_inbound_at: Date | string | null }>(
      await db.execute(sql`
        insert into contacts (channel, external_id, phone)
        select ${channel}, external_id, phone from jsonb_to_recordset(${doc}::jsonb) as x(phone text, external_id text)
        on conflict (channel, external_id) do update set phone = excluded.phone
        returning id, phone, language, last_inbound_at`),
    );
    for (const r of rows) {
      out.set(r.phone, { contactId: Number(r.id), language: r.language, lastInboundAt: r.last_inbound_at === null ? null : new Date(r.last_inbound_at) });
    }
  }
  return out;
}
