import type { ClientLike } from './client.ts';

/** What WhatsApp says of a number: it has an account, it has none, or it could not be asked (page away). */
export type NumberVerdict = 'on_whatsapp' | 'not_on_whatsapp' | 'error';

export interface NumberCheck {
  /** Asks WhatsApp, unless it already said yes for this chat in this process. */
  check(client: ClientLike, chatId: string): Promise<NumberVerdict>;
  /** Asks WhatsApp whatever it said before (after a send failed: the account may be gone since). */
  askAgain(client: ClientLike, chatId: string): Promise<NumberVerdict>;
}

// Enough for the registry phones of one distribution round and its reminders; the oldest answer goes first.
const REMEMBERED = 10_000;

/**
 * Whether a phone number has a WhatsApp account, asked of WhatsApp Web through whatsapp-web.js's
 * `isRegisteredUser` (its `getNumberId`, a lookup the page makes against WhatsApp's servers). Only a "yes"
 * is remembered, and only while the process lives: reminders to the same number then do not ask again (every
 * lookup is traffic that makes the linked device look more like a bot), while a "no" is never stored here —
 * the outbox marks that contact unreachable and stops writing to it until the resident writes.
 */
export function createNumberCheck(limit = REMEMBERED): NumberCheck {
  const known = new Map<string, true>();

  async function ask(client: ClientLike, chatId: string): Promise<NumberVerdict> {
    // Only phone-number ids can be looked up; any other id (a LID) exists because the person wrote to us.
    if (!client.isRegisteredUser || !chatId.endsWith('@c.us')) return 'on_whatsapp';
    let registered: boolean;
    try {
      registered = await client.isRegisteredUser(chatId);
    } catch {
      return 'error';
    }
    if (!registered) {
      known.delete(chatId);
      return 'not_on_whatsapp';
    }
    known.delete(chatId); // re-inserted last: the map's order is the order of last use
    known.set(chatId, true);
    if (known.size > limit) known.delete(known.keys().next().value!);
    return 'on_whatsapp';
  }

  return {
    async check(client, chatId) {
      if (known.has(chatId)) {
        known.delete(chatId);
        known.set(chatId, true);
        return 'on_whatsapp';
      }
      return ask(client, chatId);
    },
    askAgain: ask,
  };
}
