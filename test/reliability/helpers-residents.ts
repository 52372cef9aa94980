import { sql } from 'drizzle-orm';
import type { Update } from 'grammy/types';
import { rowsOf } from '../../src/db/rows.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { callbackUpdate, textUpdate, type Person } from '../fakes/telegram.ts';

// Residents checking their aid over Telegram, for loading the webhook: each types the NIK, KK number and birth
// date of one of the demo registry's members (seedDemoCity) and gets the public view with the ways to prove it
// is them. The check stops there on purpose: a chat that proved possession would make the family's other chats
// hear of it, and chats of the same member must get the same replies, which a control chat records for
// comparing.

export const DEMO_MEMBERS = [
  { name: 'Siti', nik: '2171105203850001', kk: '2171100207180005', birth: '12-03-1985' },
  { name: 'Ahmad', nik: '2171060501520002', kk: '2171062105120003', birth: '05-01-1952' },
  { name: 'Budi', nik: '2171112007900003', kk: '2171111006190008', birth: '20-07-1990' },
  { name: 'Dewi', nik: '2171034110780004', kk: '2171030509160002', birth: '01-10-1978' },
] as const;
export type DemoMember = (typeof DEMO_MEMBERS)[number];

/**
 * One resident's conversation: hello, Bahasa Indonesia, "cek bansos", NIK, KK number, birth date. Buttons are pressed on
 * a stand-in of the keyboard message: the adapter needs only its chat, and the choice is in the data.
 */
export function aidCheckScript(p: Person, m: DemoMember): Update[] {
  const keyboard = { messageId: 1, text: '', replyMarkup: undefined };
  return [textUpdate(p, '/start'), callbackUpdate(p, 'id', keyboard), callbackUpdate(p, 'aid', keyboard), textUpdate(p, m.nik), textUpdate(p, m.kk), textUpdate(p, m.birth)];
}
export const AID_CHECK_STEPS = 6;

/** What every control chat gets to: the public view and the ways to prove it is them (locales/id/identity.json). */
export const REACHED = 'buktikan dulu bahwa ini memang Bapak/Ibu';

/** `n` residents with fresh Telegram chat ids from `firstId`, the demo members in turn. */
export function residents(n: number, firstId: number): { person: Person; member: DemoMember }[] {
  return Array.from({ length: n }, (_, i) => {
    const member = DEMO_MEMBERS[i % DEMO_MEMBERS.length]!;
    return { person: { id: firstId + i, firstName: member.name, languageCode: 'id' }, member };
  });
}

type Resident = { person: Person; member: DemoMember };

/** Inbound rows per chat of `group`, and how many distinct provider ids they carry (each update once: both AID_CHECK_STEPS). */
export async function inboundPerChat(database: TestDatabase, group: Resident[]): Promise<{ chat: string; n: number; distinct_ids: number }[]> {
  const ids = group.map((r) => String(r.person.id));
  return rowsOf<{ chat: string; n: number; distinct_ids: number }>(
    await database.db.execute(sql`
      select c.external_id as chat, count(*)::int as n, count(distinct m.provider_message_id)::int as distinct_ids
      from messages m join contacts c on c.id = m.contact_id
      where m.direction = 'in' and c.channel = 'telegram' and c.external_id in ${ids}
      group by c.external_id`),
  );
}

/** The chats whose replies differ from their member's control chat (`expected`, by NIK): doubled, lost or reordered. */
export function repliesUnlikeControl(group: Resident[], texts: (chatId: number) => string[], expected: Map<string, string[]>) {
  return group
    .filter((r) => JSON.stringify(texts(r.person.id)) !== JSON.stringify(expected.get(r.member.nik)))
    .map((r) => ({ chat: r.person.id, got: texts(r.person.id).length, want: expected.get(r.member.nik)!.length }));
}
