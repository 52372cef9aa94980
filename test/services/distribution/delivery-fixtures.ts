// An event whose invitations' outbox rows are set by hand to every delivery state, for the delivery suites
// (services and HTTP). Rows are inserted directly with invitation_id, as the fan-out and the dispatcher
// would leave them; nothing is sent.

import { contacts, outbox } from '../../../src/db/schema/index.ts';
import type { Db } from '../../../src/db/client.ts';
import type { Channel } from '../../../src/domain/vocabulary.ts';
import { makeEvent, makeHousehold, makeInvitation, NOW, type DistributionWorld } from './fixtures.ts';

type Kind = 'invitation' | 'reminder' | 'notice';
type Status = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface MessageSpec {
  contactId: number;
  channel: Channel;
  kind?: Kind;
  status: Status;
  delivered?: boolean;
  read?: boolean;
  lastError?: string;
}

let phones = 0;

/** A registry phone's own chat on a WhatsApp channel: not linked to anyone (memberId null). */
export async function phoneChat(db: Db, channel: Channel = 'whatsapp_cloud'): Promise<number> {
  const phone = `62812${String(process.pid % 1000).padStart(3, '0')}${String(++phones).padStart(4, '0')}`;
  const [c] = await db.insert(contacts).values({ channel, externalId: `${phone}-${Math.random().toString(36).slice(2, 8)}`, phone }).returning({ id: contacts.id });
  return c!.id;
}

export async function message(db: Db, invitationId: number, m: MessageSpec): Promise<void> {
  const kind = m.kind ?? 'invitation';
  const sent = m.status === 'sent' ? NOW : null;
  await db.insert(outbox).values({
    contactId: m.contactId,
    channel: m.channel,
    payload: { text: `pesan ${kind}`, template: { kind, params: [] } },
    priority: 1,
    status: m.status,
    sentAt: sent,
    deliveredAt: m.delivered || m.read ? NOW : null,
    readAt: m.read ? NOW : null,
    lastError: m.lastError ?? null,
    invitationId,
  });
}

export interface DeliveryEvent {
  eventId: number;
  /** Invitation ids by the name of the case each stands for. */
  inv: Record<string, number>;
}

/**
 * Eleven invitations in kecamatan A (kelurahan A1) and one in kecamatan B, one per case:
 *
 * | name | messages (invitation first) | list: state / path | event: path / state |
 * |---|---|---|---|
 * | read | linked WhatsApp chat, read | read / chat | chat / read |
 * | delivered | registry phone (Cloud), delivered | delivered / whatsapp | whatsapp / delivered |
 * | sent | linked Telegram chat, sent | sent / chat | chat / sent |
 * | pending | registry phone, pending | pending / whatsapp | whatsapp / pending |
 * | sending | linked web chat, sending | pending / chat | chat / pending |
 * | notOnWa | registry phone (Web), failed not_on_whatsapp | failed / paper | paper / failed |
 * | template | registry phone (Cloud), failed code 132001 | failed / paper | paper / failed |
 * | stopped | linked chat, skipped | skipped / paper | paper / skipped |
 * | none | nothing | none / paper | paper / none |
 * | reminderOnly | invitation failed outside_24h_window, reminder read | read / whatsapp | paper / failed |
 * | twoWays | linked chat failed unreachable, registry phone delivered | delivered / whatsapp | whatsapp / delivered |
 * | cancelled | (cancelled invitation) registry phone read | read / whatsapp | not counted |
 * | elsewhere (kecamatan B) | linked chat, sent | sent / chat | chat / sent |
 */
export async function deliveryEvent(w: DistributionWorld): Promise<DeliveryEvent> {
  const db = w.db;
  const ev = await makeEvent(db, {
    programId: w.householdProgramId,
    slots: [
      { siteId: w.siteA, start: '08:00', end: '12:00', capacity: 100 },
      { siteId: w.siteB, start: '08:00', end: '12:00', capacity: 100 },
    ],
  });
  const [slotA, slotB] = ev.slotIds as [number, number];
  const inv: Record<string, number> = {};
  const add = async (name: string, chats: { channel: Channel }[] = [], opts: { kel?: number; status?: 'cancelled' } = {}) => {
    const kel = opts.kel ?? w.area.kelA1;
    const hh = await makeHousehold(db, { kelurahanId: kel, chats });
    const made = await makeInvitation(db, { eventId: ev.eventId, householdId: hh.householdId, slotId: kel === w.area.kelB1 ? slotB : slotA, ...(opts.status ? { status: opts.status } : {}) });
    inv[name] = made.invitationId;
    return { id: made.invitationId, chats: hh.contactIds };
  };

  const read = await add('read', [{ channel: 'whatsapp_cloud' }]);
  await message(db, read.id, { contactId: read.chats[0]!, channel: 'whatsapp_cloud', status: 'sent', read: true });
  // A later reminder that failed changes nothing: the best message counts.
  await message(db, read.id, { contactId: read.chats[0]!, channel: 'whatsapp_cloud', kind: 'reminder', status: 'failed', lastError: 'delivery_failed (code 131049: x)' });

  const delivered = await add('delivered');
  await message(db, delivered.id, { contactId: await phoneChat(db), channel: 'whatsapp_cloud', status: 'sent', delivered: true });

  const sent = await add('sent', [{ channel: 'telegram' }]);
  await message(db, sent.id, { contactId: sent.chats[0]!, channel: 'telegram', status: 'sent' });

  const pending = await add('pending');
  await message(db, pending.id, { contactId: await phoneChat(db), channel: 'whatsapp_cloud', status: 'pending' });

  const sending = await add('sending', [{ channel: 'webchat' }]);
  await message(db, sending.id, { contactId: sending.chats[0]!, channel: 'webchat', status: 'sending' });

  const notOnWa = await add('notOnWa');
  await message(db, notOnWa.id, { contactId: await phoneChat(db, 'whatsapp_web'), channel: 'whatsapp_web', status: 'failed', lastError: 'not_on_whatsapp' });

  const template = await add('template');
  await message(db, template.id, {
    contactId: await phoneChat(db),
    channel: 'whatsapp_cloud',
    status: 'failed',
    lastError: 'whatsapp_error (code 132001: Template name does not exist in the translation)',
  });

  const stopped = await add('stopped', [{ channel: 'telegram' }]);
  await message(db, stopped.id, { contactId: stopped.chats[0]!, channel: 'telegram', status: 'skipped', lastError: 'contact_stopped' });

  await add('none');

  const reminderOnly = await add('reminderOnly');
  const phone = await phoneChat(db);
  await message(db, reminderOnly.id, { contactId: phone, channel: 'whatsapp_cloud', status: 'failed', lastError: 'outside_24h_window' });
  await message(db, reminderOnly.id, { contactId: phone, channel: 'whatsapp_cloud', kind: 'reminder', status: 'sent', read: true });

  const twoWays = await add('twoWays', [{ channel: 'telegram' }]);
  await message(db, twoWays.id, { contactId: twoWays.chats[0]!, channel: 'telegram', status: 'failed', lastError: 'recipient_unreachable (bot was blocked by the user)' });
  await message(db, twoWays.id, { contactId: await phoneChat(db), channel: 'whatsapp_cloud', status: 'sent', delivered: true });

  const cancelled = await add('cancelled', [], { status: 'cancelled' });
  await message(db, cancelled.id, { contactId: await phoneChat(db), channel: 'whatsapp_cloud', status: 'sent', read: true });

  const elsewhere = await add('elsewhere', [{ channel: 'telegram' }], { kel: w.area.kelB1 });
  await message(db, elsewhere.id, { contactId: elsewhere.chats[0]!, channel: 'telegram', status: 'sent' });

  return { eventId: ev.eventId, inv };
}
