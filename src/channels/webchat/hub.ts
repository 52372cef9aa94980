import type { Channel } from '../../domain/vocabulary.ts';
import type { OutboundMessage, Reply } from '../../messages/types.ts';
import type { ChannelLimits, ChannelSender, Recipient, SendResult } from '../../outbox/sender.ts';

type Listener = (reply: Reply) => void;

/**
 * The web chat's way out for messages that arrive later (staff replies, reminders): an ordinary sender for
 * the outbox dispatcher, whose recipients are the chat pages open in this process (server-sent events).
 * Rows wait in the outbox like every other channel's and are claimed only for chats with an open page, so a
 * resident who closes the tab gets them on the next visit, from whichever process serves that page.
 * Pages are keyed by chat id, which for the web chat is the SHA-256 of the session cookie: only the browser
 * holding that cookie opens a stream here (http/webchat/session.ts).
 */
export class WebchatHub implements ChannelSender {
  readonly channel: Channel = 'webchat';
  // No provider to protect: a page takes what it is given. The per-chat order still holds (claim.ts).
  readonly limits: ChannelLimits = { perSecond: 1000, perChatIntervalMs: 0 };
  private readonly listeners = new Map<string, Set<Listener>>();

  /** `onOpen`: a page was opened; the dispatcher is asked to look for its waiting messages at once. */
  constructor(private readonly onOpen: () => void = () => {}) {}

  subscribe(chatId: string, listener: Listener): () => void {
    let set = this.listeners.get(chatId);
    if (!set) this.listeners.set(chatId, (set = new Set()));
    set.add(listener);
    this.onOpen();
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(chatId);
    };
  }

  reachableChats(): readonly string[] {
    return [...this.listeners.keys()];
  }

  async send(to: Recipient, message: OutboundMessage): Promise<SendResult> {
    const set = this.listeners.get(to.chatId);
    // The page closed between the claim and now: the row goes back to wait for the next visit.
    if (!set || set.size === 0) return { status: 'retry', reason: 'chat page closed', retryAfterMs: 1000 };
    for (const l of set) l(message);
    return { status: 'sent' };
  }
}
