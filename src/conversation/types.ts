import type { Locale } from '../domain/vocabulary.ts';
import type { Channel, MessageKind } from '../domain/vocabulary.ts';
import type { Reply } from '../messages/types.ts';
import type { Services } from '../services/for-flows.ts';

/** What a resident may send; the same list the message history stores. */
export type InboundKind = MessageKind;

/** One message from a resident, already normalised by its channel adapter. */
export interface Inbound {
  channel: Channel;
  chatId: string;
  kind: InboundKind;
  text?: string;
  /** The id of an option the resident pressed (inline button, web chat button). */
  choice?: string;
  /** The provider's message id; a second delivery with the same id is processed once. */
  providerMessageId?: string;
  displayName?: string;
  /** A language hint from the channel (Telegram language_code, browser language). */
  languageHint?: string;
  media?: { mimeType: string; fileName?: string; size?: number; ref?: string };
  location?: { latitude: number; longitude: number };
  /**
   * A phone number shared as a contact (Telegram's "share my number" button). `own` only when the channel
   * checked that the contact is the sender's own account; the engine then keeps the number as the chat's phone.
   */
  sharedContact?: { phone: string; own: boolean };
  /** The web chat client's address, as TRUST_PROXY says to read it; limits identity lookups per address. */
  clientAddress?: string;
  /**
   * The channel answers in the same exchange (the web chat's HTTP response). Otherwise replies are queued
   * in the outbox within the message's transaction and the dispatcher sends them.
   */
  replyInline?: boolean;
}

/** What a step may know about the chat it talks to. Personal data only through services, after verification. */
export interface ContactView {
  id: number;
  channel: Channel;
  memberId: number | null;
  householdId: number | null;
}

export type Translate = (key: string, vars?: Record<string, unknown>) => string;

export interface StepContext {
  t: Translate;
  locale: Locale;
  timeZone: string;
  now: Date;
  contact: ContactView;
  /**
   * The id of the resident's message this turn answers (messages.id). A flow that opens a case keeps the first
   * one, so the case's page shows the conversation from there on and nothing before it.
   */
  messageId: number;
  /** The flow's own variables, saved with the session. Steps write results here by name. */
  data: Record<string, unknown>;
  /** Services bound to this message's transaction. */
  services: Services;
  /** Changes to the chat itself, kept by the engine with the session. */
  chat: ChatControls;
  /** Where the message came from, for the identity limits (web chat only). */
  clientAddress?: string;
}


export interface ChatControls {
  /** Switches the conversation's language from the next text on. */
  setLanguage(locale: Locale): void;
  /** Records that the resident read the one-line data notice and went on (UU 27/2022). */
  recordConsent(): void;
  /** Hands the conversation to a human: the bot stays quiet until staff close it or the resident types menu. */
  startHandover(): void;
  /** Gives the chat back to the bot (the resident turned the wait into a report). */
  endHandover(): void;
  /** The chat is now verified as this member (after an identity check). */
  linkMember(memberId: number, householdId: number): void;
  /** Holds this answer back for `ms` after the message is handled (a flood of identity lookups city-wide). */
  holdReplies(ms: number): void;
}

/** The resident's answer as a step sees it. */
export interface Answer {
  kind: InboundKind;
  /** Trimmed text (at most MAX_TEXT characters), '' when none. */
  text: string;
  /** Set when the answer picked one of the options the step offered (button, number, or label). */
  choice?: string;
  media?: Inbound['media'];
  location?: Inbound['location'];
  /** A shared contact: whether it is the sender's own number (the number itself is already the chat's phone). */
  sharedContact?: { own: boolean };
}

/**
 * Where a step goes after an answer. `say` comes first, then the engine enters the target and sends its prompt.
 * - goto: another step of this flow; - flow: start another flow (optionally at a step, with data; `forward`
 *   hands the same answer to that step instead of prompting, e.g. "cek bansos" typed on the welcome screen;
 *   `again`: back to a step the resident was at, asking only its question, its last bubble, as after a
 *   misunderstanding, not everything it showed before);
 * - retry: the answer was not usable, say why and ask again; - end: back to the main menu;
 * - wait: stay on this step silently (after `say`), for example while an officer has the chat; `data` is merged
 *   into the step's data (what the step must remember between messages, such as when it last acknowledged).
 */
export type Outcome =
  | { say?: Reply[]; goto: string }
  | { say?: Reply[]; flow: string; step?: string; data?: Record<string, unknown>; forward?: boolean; again?: true }
  | { say?: Reply[]; retry: true }
  | { say?: Reply[]; end: true }
  | { say?: Reply[]; wait: true; data?: Record<string, unknown> };

export interface Step {
  /** What to say on arriving at this step; the options offered are remembered so "2" can pick the second. */
  prompt(ctx: StepContext): Reply[] | Promise<Reply[]>;
  /** Absent on steps that only inform: the engine then moves to `next` (or the menu) right after the prompt. */
  handle?(ctx: StepContext, answer: Answer): Outcome | Promise<Outcome>;
  /** For steps without `handle`: where to go after the prompt. */
  next?: { goto: string } | { flow: string; step?: string } | { end: true };
  /**
   * Typed words this step takes as its own answer even where they are also a command anywhere else: "English"
   * or "bahasa indonesia" at the language question answer it rather than asking it again.
   */
  reads?(text: string): boolean;
  /** Input kinds besides text and choice that this step takes (a photo for a complaint, a location). */
  accepts?: InboundKind[];
  /**
   * The answer is a document fact (a NIK, a KK number, a birth date, a code): the conversation history staff
   * read keeps only its shape ("••-••-••••"), not what was typed. A birth date beside a masked NIK is the
   * whole NIK (domain/mask.ts), and a mistyped NIK escapes the NIK masking.
   */
  private?: true;
}

export interface Flow {
  id: string;
  start: string;
  steps: Record<string, Step>;
  /**
   * The flow only sets the chat up (the welcome, the language): the menu after it asks its first question,
   * not "Ada lagi yang bisa kami bantu?", which follows a task done.
   */
  setup?: true;
}

export type FlowRegistry = Record<string, Flow>;
