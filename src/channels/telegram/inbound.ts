import type { CallbackQuery, Contact, Message, Update } from 'grammy/types';
import type { Inbound } from '../../conversation/types.ts';
import { HASHED_PREFIX } from './render.ts';

/**
 * The update types Pintu asks Telegram for (setWebhook / getUpdates `allowed_updates`). Everything else is
 * either not a resident talking to us or not something a conversation can use.
 */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

// Service messages say something happened to the chat (a pin, an auto-delete timer, a payment), not that
// the resident said something: answering "please type your answer" to them would only confuse.
const SERVICE_FIELDS = [
  'pinned_message',
  'message_auto_delete_timer_changed',
  'write_access_allowed',
  'users_shared',
  'chat_shared',
  'successful_payment',
  'refunded_payment',
  'connected_website',
  'passport_data',
  'proximity_alert_triggered',
  'boost_added',
  'chat_background_set',
  'gift',
  'gift_upgrade_sent',
  'unique_gift',
  'paid_message_price_changed',
  'direct_message_price_changed',
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'checklist_tasks_done',
  'checklist_tasks_added',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'web_app_data',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'giveaway_created',
  'giveaway_completed',
] as const;

/**
 * One Telegram update as the engine's Inbound, or null when it is not a resident talking to the bot.
 *
 * Kept: `message` and `callback_query` in a private chat with a person. Ignored (null):
 * - groups, supergroups and channels (`channel_post`, messages with `sender_chat`): the office talks to one
 *   resident at a time, and personal data must never be answered into a group;
 * - `edited_message`: the engine already acted on the original; an edit taken as a new answer would move a
 *   flow on by a step the resident did not mean;
 * - membership and other bookkeeping (`my_chat_member` when a resident blocks the bot, reactions, polls,
 *   inline queries, business messages) and service messages (pins, timers): nothing to answer;
 * - messages from bots, and callback queries from inline messages (we send none) or without data.
 *
 * The provider id de-duplicates redeliveries. It is the message's own identity (`m<chat>:<message_id>`, ids
 * never reused within a chat) or the callback query's id (`cq<id>`, globally unique), rather than the
 * update_id: Telegram restarts update ids at a random value after a week without updates, so an update id
 * can come back and a new message would be taken for an old one.
 */
export function telegramInbound(update: Update): Inbound | null {
  if (update.message) return fromMessage(update.message);
  if (update.callback_query) return fromCallback(update.callback_query);
  return null;
}

function fromMessage(m: Message): Inbound | null {
  if (m.chat.type !== 'private' || !m.from || m.from.is_bot || m.sender_chat) return null;
  const base = {
    channel: 'telegram' as const,
    chatId: String(m.chat.id),
    providerMessageId: `m${m.chat.id}:${m.message_id}`,
    displayName: m.from.first_name || undefined,
    languageHint: m.from.language_code,
  };

  if (typeof m.text === 'string') return { ...base, kind: 'text', text: commandText(m.text) };
  // A caption is what the resident wrote with a photo or file ("this is the broken roof").
  const caption = m.caption ? { text: m.caption } : {};
  if (m.photo && m.photo.length > 0) {
    // Telegram sends every size it made; the last is the largest, the one worth keeping as evidence.
    const largest = m.photo[m.photo.length - 1]!;
    return { ...base, ...caption, kind: 'photo', media: { mimeType: 'image/jpeg', size: largest.file_size, ref: largest.file_id } };
  }
  if (m.document) {
    const d = m.document;
    return {
      ...base,
      ...caption,
      kind: 'document',
      media: { mimeType: d.mime_type ?? 'application/octet-stream', fileName: d.file_name, size: d.file_size, ref: d.file_id },
    };
  }
  if (m.location) return { ...base, kind: 'location', location: { latitude: m.location.latitude, longitude: m.location.longitude } };
  if (m.venue) return { ...base, kind: 'location', location: { latitude: m.venue.location.latitude, longitude: m.venue.location.longitude } };
  if (m.contact) return { ...base, kind: 'contact', sharedContact: sharedContact(m.contact, m.from.id) };
  if (m.voice || m.audio || m.video_note) return { ...base, kind: 'voice' };
  if (m.sticker) return { ...base, kind: 'sticker' };
  const record = m as unknown as Record<string, unknown>;
  if (SERVICE_FIELDS.some((f) => record[f] !== undefined)) return null;
  // Video, GIF, dice, poll, story, a kind Telegram adds later...: the engine answers that it needs text.
  return { ...base, ...caption, kind: 'other' };
}

/**
 * A contact card, as the request_contact button sends it (or as anyone can send any card). Its number is the
 * sender's own only when the card is of the sender's own account: Telegram fills `user_id` with the account
 * the card belongs to, and the share button sends the resident's own, while a card of someone else (or one
 * typed by hand, which has no user_id) proves nothing about who holds this chat.
 */
function sharedContact(contact: Contact, senderId: number): NonNullable<Inbound['sharedContact']> {
  return { phone: contact.phone_number, own: contact.user_id !== undefined && contact.user_id === senderId };
}

function fromCallback(q: CallbackQuery): Inbound | null {
  const m = q.message;
  if (!m || m.chat.type !== 'private' || q.from.is_bot || q.data === undefined || q.data === '') return null;
  const base = {
    channel: 'telegram' as const,
    chatId: String(m.chat.id),
    providerMessageId: `cq${q.id}`,
    displayName: q.from.first_name || undefined,
    languageHint: q.from.language_code,
  };
  if (q.data.startsWith(HASHED_PREFIX)) {
    // An option id too long for callback_data went out as a hash (see render.ts). The pressed button's label
    // is on the message the keyboard belongs to; the engine picks an offered option by its label.
    const label = buttonLabel(m, q.data);
    if (label !== undefined) return { ...base, kind: 'text', text: label };
  }
  return { ...base, kind: 'choice', choice: q.data };
}

function buttonLabel(m: NonNullable<CallbackQuery['message']>, data: string): string | undefined {
  const markup = 'reply_markup' in m ? m.reply_markup : undefined;
  for (const row of markup?.inline_keyboard ?? []) {
    for (const b of row) if ('callback_data' in b && b.callback_data === data) return b.text;
  }
  return undefined;
}

/**
 * Telegram clients send commands as `/start <deep-link payload>` or `/menu@PintuBot`. The engine knows
 * `/start` and `/menu`; the payload and the bot's name mean nothing to it.
 */
function commandText(text: string): string {
  const cmd = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text);
  if (!cmd) return text;
  if (cmd[1]!.toLowerCase() === 'start') return '/start';
  return cmd[2] ? `/${cmd[1]} ${cmd[2]}` : `/${cmd[1]}`;
}
