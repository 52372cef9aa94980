import type { Locale } from '../domain/vocabulary.ts';
import type { Database, Db } from '../db/client.ts';
import { pickLocale, type Translator } from '../i18n.ts';
import type { Logger } from '../log.ts';
import type { InboundMetrics } from '../metrics/index.ts';
import { enqueue } from '../outbox/enqueue.ts';
import type { Services } from '../services/for-flows.ts';
import { GLOBAL_COMMANDS, matchCommand, matchLanguage, type GlobalCommand } from '../domain/commands.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDeadline } from './deadline.ts';
import { handoverMove } from './handover-turn.ts';
import { sanitizeInbound } from './sanitize.ts';
import { sanitizeText } from '../domain/text.ts';
import { pickOption } from '../messages/options.ts';
import { DEFAULT_ENTRIES, type Entries } from './entries.ts';
import { sealData, unsealData } from './seal.ts';
import { loadSessionKey } from './session-key.ts';
import { closeTurn, lastSentOptions, lockContact, openTurn, recordReplies, updateContact, type ContactRow, type Opened } from './store.ts';
import type { Answer, ChatControls, FlowRegistry, Inbound, Outcome, Step, StepContext } from './types.ts';
import { normalizePhone, PHONE_CHANNELS } from '../domain/phone.ts';
import { endLink } from '../services/identity/links.ts';
import type { Option, Reply } from '../messages/types.ts';

export const SESSION_IDLE_MS = 30 * 60 * 1000;
// A healthy turn takes milliseconds; this is well inside the providers' own wait for a webhook answer.
export const TURN_DEADLINE_MS = 5_000;
// A flow that keeps jumping without waiting for the resident is a bug; stop it instead of looping forever.
const MAX_HOPS = 12;
const OPTIONS_KEY = '$options';

export interface EngineDeps {
  database: Database;
  flows: FlowRegistry;
  i18n: Translator;
  logger: Logger;
  defaultLocale: Locale;
  timeZone: string;
  bindServices(db: Db): Services;
  /**
   * Buttons that may be pressed at any time because they were sent outside a conversation (a rating
   * question after a complaint is closed): a choice id with this prefix goes to that step, wherever the chat is.
   */
  choiceRoutes?: { prefix: string; flow: string; step: string }[];
  /**
   * Where the menu, a new chat, and the commands lead; the engine knows no flow by content. Entries not given
   * keep their defaults.
   */
  entry?: Partial<Entries>;
  clock?: () => Date;
  /** Counts every message by channel and outcome: all channels pass through handle(). */
  metrics?: InboundMetrics;
  /** How long a message may take to commit before handle() gives up with TurnTimeout (default 5 s). */
  turnDeadlineMs?: number;
  /** Waits out a held inline answer (ChatControls.holdReplies); tests pass one that only records. */
  sleep?: (ms: number) => Promise<void>;
}

export interface EngineResult {
  replies: Reply[];
  /** True when the provider had delivered this message before: nothing was done again. */
  duplicate: boolean;
}

export interface Engine {
  handle(inbound: Inbound): Promise<EngineResult>;
}

interface Position {
  flow: string;
  step: string;
  data: Record<string, unknown>;
}

export function createEngine(deps: EngineDeps): Engine {
  const entry: Entries = { ...DEFAULT_ENTRIES, ...deps.entry };
  const clock = deps.clock ?? (() => new Date());
  // Read once per process, outside any turn: a turn that rolls back must not take a new key with it.
  let sealKey: Promise<Buffer> | undefined;
  const key = () =>
    (sealKey ??= loadSessionKey(deps.database.db).catch((err: unknown) => {
      sealKey = undefined;
      throw err;
    }));

  return {
    async handle(raw) {
      const inbound = sanitizeInbound(raw);
      const now = clock();
      const text = sanitizeText(inbound.text ?? '');
      // Every channel answers 5xx when a turn fails, so one deadline here serves them all.
      return withDeadline(counted(deps.metrics, inbound, key().then((sealWith) => deps.database.db.transaction(async (tx) => {
        const displayName = inbound.displayName ? sanitizeText(inbound.displayName) : undefined;
        const contact = await lockContact(tx, inbound.channel, inbound.chatId, now, displayName);
        const opened = await openTurn(tx, contact, inbound, text);
        if (opened.messageId === null) return { replies: [], duplicate: true, holdMs: 0 };
        const turn = new Turn(deps, entry, tx, contact, inbound, text, now, sealWith, { ...opened, messageId: opened.messageId });
        const replies = await turn.run();
        const notBefore = turn.holdMs > 0 ? new Date(now.getTime() + turn.holdMs) : undefined;
        if (inbound.replyInline) await recordReplies(tx, contact.id, inbound.channel, replies);
        else await enqueue(tx, { contactId: contact.id, channel: inbound.channel, messages: replies, priority: 'reply', ...(notBefore ? { notBefore } : {}) });
        await turn.close();
        return { replies, duplicate: false, holdMs: turn.holdMs };
      }))), deps.turnDeadlineMs ?? TURN_DEADLINE_MS).then(async ({ holdMs, ...result }) => {
        // A held answer waits after the commit, holding no database connection: an outbox row by its
        // not_before, an inline answer (the web chat) here.
        if (holdMs > 0 && inbound.replyInline) await (deps.sleep ?? sleep)(holdMs);
        return result;
      });
    },
  };
}

/** Counts a message once its transaction has settled: committed (handled, or a provider's repeat ignored) or failed. */
async function counted<R extends EngineResult>(metrics: InboundMetrics | undefined, inbound: Inbound, turn: Promise<R>): Promise<R> {
  try {
    const result = await turn;
    metrics?.inbound(inbound.channel, result.duplicate ? 'duplicate' : 'handled');
    return result;
  } catch (err) {
    metrics?.inbound(inbound.channel, 'error');
    throw err;
  }
}

/** One inbound message worked through: commands, expiry, the current step, and where it leads. */
class Turn {
  private readonly replies: Reply[] = [];
  /** How long this turn's answer is held back (ChatControls.holdReplies): 0 for almost every turn. */
  holdMs = 0;
  private locale: Locale;
  private memberId: number | null;
  private householdId: number | null = null;
  private contactChanges: Parameters<typeof updateContact>[2] = {};
  /** What close() writes, decided by run(). */
  private ending: { state: Position; redact: boolean } | undefined;
  // Bound once per transaction (the turn's, or the savepoint's), not on every prompt.
  private readonly bound = new Map<Db, Services>();

  constructor(
    private readonly deps: EngineDeps,
    private readonly entry: Entries,
    private readonly tx: Db,
    private readonly contact: ContactRow,
    private readonly inbound: Inbound,
    private readonly text: string,
    private readonly now: Date,
    /** Seals what the session must not keep readable (seal.ts). */
    private readonly sealKey: Buffer,
    /** The inbound message as recorded (redacted when it answers a private step), the session, the household. */
    private readonly opened: Opened & { messageId: number },
  ) {
    this.locale = (contact.language as Locale | null) ?? pickLocale(inbound.languageHint, deps.defaultLocale);
    this.memberId = contact.memberId;
  }

  private get messageId(): number {
    return this.opened.messageId;
  }

  async run(): Promise<Reply[]> {
    const { session } = this.opened;
    await this.ownPhone();
    if (this.memberId !== null && this.contact.channel === 'webchat' && (!session || session.expiresAt.getTime() <= this.now.getTime())) {
      // A browser left for 30 minutes may be a shared phone or a café computer: the next person must not find
      // the family's data there. The resident proves again; the web chat's "Keluar" does the same at once.
      await endLink(this.tx, this.contact.id, 'idle', this.now);
      this.memberId = null;
    }
    this.householdId = this.memberId === null ? null : this.opened.householdId;
    let pos: Position | undefined = session ? { flow: session.flow, step: session.step, data: unsealData(session.data, this.sealKey, this.contact.id) } : undefined;
    // The question this message answers asked for a document fact: the history keeps its shape only. Decided
    // by the step that asked, whether or not the session has since expired (what was typed is the same);
    // written with the session at the end of the turn, and kept even when the step fails.
    const redact = Boolean(pos && this.stepOf(pos)?.private && this.text);
    try {
      // A savepoint: a step that fails leaves no half-written business data, but the message stays recorded.
      pos = await this.tx.transaction(async (sp) => this.decide(sp, pos, session?.expiresAt));
    } catch (err) {
      this.deps.logger.error({ err, flow: pos?.flow, step: pos?.step }, 'conversation step failed');
      this.replies.length = 0;
      this.say({ text: this.t('chat:error') });
      pos = await this.enter(this.tx, { ...this.entry.menu, data: {} });
    }
    if (this.contact.language === null && this.contactChanges.language === undefined && session === undefined) {
      // Remember the language we guessed on first contact so later messages do not flip with the hint.
      this.contactChanges.language = this.locale;
    }
    if (Object.keys(this.contactChanges).length > 0) await updateContact(this.tx, this.contact.id, this.contactChanges);
    this.ending = { state: { ...pos, data: sealData(pos.data, this.sealKey, this.contact.id) }, redact };
    return this.replies;
  }

  /** After the replies are queued: the session, the redaction, and the replies joining the message's case. */
  async close(): Promise<void> {
    if (!this.ending) throw new Error('close() before run()');
    await closeTurn(this.tx, { contactId: this.contact.id, messageId: this.messageId, ...this.ending, expiresAt: new Date(this.now.getTime() + SESSION_IDLE_MS) });
  }

  /**
   * The chat's own number, compared with registry phones: the sender of a phone channel (WhatsApp, the demo
   * phones), or a Telegram contact the channel checked is the sender's own. Written at once, before any step
   * reads it.
   */
  private async ownPhone(): Promise<void> {
    let phone: string | null = null;
    if (PHONE_CHANNELS.includes(this.contact.channel) && this.contact.phone === null) phone = normalizePhone(this.inbound.chatId);
    const shared = this.inbound.sharedContact;
    if (shared?.own) phone = normalizePhone(shared.phone);
    if (phone && phone !== this.contact.phone) await updateContact(this.tx, this.contact.id, { phone });
  }

  private async decide(db: Db, pos: Position | undefined, expiresAt: Date | undefined): Promise<Position> {
    const command = this.inbound.kind === 'text' ? matchCommand(this.text) : commandChoice(this.inbound.choice);

    if (this.contact.handoverAt && !this.contactChanges.handoverAt) {
      // An officer has the chat: what this message does is handover-turn.ts's rule, carried out here.
      const move = handoverMove(command, this.inbound.kind, this.text);
      if (move.move === 'language') {
        this.useLanguage(move.locale);
        return pos ?? { ...this.entry.handoverWait, data: {} };
      }
      if (move.move === 'wait') {
        const waiting: Position = { ...this.entry.handoverWait, data: pos?.flow === this.entry.handoverWait.flow ? pos.data : {} };
        if (!this.stepOf(waiting)?.handle) return pos ?? { ...this.entry.menu, data: {} };
        return this.follow(db, waiting, { ...waiting, forward: true }, { ...this.typedAnswer(), ...(this.inbound.choice !== undefined ? { choice: this.inbound.choice } : {}) });
      }
      this.contactChanges.handoverAt = null;
      this.contactChanges.handoverMessageId = null;
      this.say({ text: this.t('chat:handoverEnded') });
      if (move.then) return this.runCommand(db, move.then, undefined);
      return this.enter(db, { ...this.entry.menu, data: {} });
    }

    // Checked before expiry: such a button usually comes back days after the conversation it belongs to ended.
    const route = this.deps.choiceRoutes?.find((r) => this.inbound.choice?.startsWith(r.prefix));
    if (route) {
      const answer: Answer = { kind: 'choice', text: this.text, choice: this.inbound.choice };
      const from = pos ?? { ...this.entry.menu, data: {} };
      return this.follow(db, from, { flow: route.flow, step: route.step, forward: true }, answer);
    }

    if (!pos && this.contact.consentAt === null) {
      // A first contact always hears who we are and what data we use; a plea for a human and the data
      // subject's commands skip the language question (with the notice still said first). A number the office
      // wrote to first (an invitation) answering STOP is the case this is for. "start" from a chat that never
      // stopped is Telegram opening the bot: the welcome.
      const skips = command === 'officer' || command === 'stop' || command === 'myData' || command === 'deleteHistory' || (command === 'resume' && this.contact.stoppedAt !== null);
      // A number the office wrote to first answering its invitation ("1" on WhatsApp Web's numbered list): the
      // answer is taken, after the notice, rather than lost to the language question.
      if (!command) {
        const typed = await this.typedOutsideChoice(db);
        if (typed) return typed;
      }
      // The first words may already say what the resident wants, or name their language: the welcome step
      // reads them (after saying the notice) instead of asking a question they have answered.
      const namesLanguage = command === 'language' && this.inbound.kind === 'text' && matchLanguage(this.text) !== undefined;
      if ((!command || namesLanguage) && this.inbound.kind === 'text' && this.text && this.stepOf({ ...this.entry.firstWords, data: {} })?.handle) {
        return this.follow(db, { ...this.entry.menu, data: {} }, { ...this.entry.firstWords, forward: true }, this.typedAnswer());
      }
      if (!command || !skips) return this.enter(db, { ...this.entry.welcome, data: {} });
      this.say({ text: this.t('chat:notice') });
      return this.runCommand(db, command, undefined);
    }
    // A chat that heard the notice before but has no session: the purge removed one that had expired a day
    // ago (services/rights/purge.ts). It is not new, so it rests at the menu as after any expiry.
    pos ??= { ...this.entry.menu, data: {} };

    let current = this.stepOf(pos);
    const expired = !current || (expiresAt !== undefined && expiresAt.getTime() <= this.now.getTime());
    if (!command && (expired || this.atMenu(pos))) {
      const typed = await this.typedOutsideChoice(db);
      if (typed) return typed;
    }
    if (expired || !current) {
      if (current) this.say({ text: this.t('chat:expired') });
      pos = { ...this.entry.menu, data: {} };
      current = this.stepOf(pos)!;
      if (command) return this.runCommand(db, command, pos);
      // The resident probably typed what they want ("cek bansos"): let the menu read it.
      if (this.inbound.kind === 'text' && this.text) return this.answer(db, pos, current, []);
      return this.enter(db, pos);
    }

    const offered = (pos.data[OPTIONS_KEY] as Option[] | undefined) ?? [];
    // The step's own answer before a command: "English" typed at the language question, or an option's label
    // that happens to be a command word. BERHENTI and MULAI are never an answer: every channel must honour them.
    const ownAnswer =
      command !== undefined && command !== 'stop' && command !== 'resume' && this.inbound.kind === 'text' && (pickOption(offered, { text: this.text }) !== undefined || current.reads?.(this.text) === true);
    if (command && !ownAnswer) return this.runCommand(db, command, pos);

    return this.answer(db, pos, current, offered);
  }

  /**
   * Whether words typed at this step may be a question for elsewhere rather than its answer: at a step that
   * asks for a document fact (a NIK, a date, a code), words without a single digit cannot be the answer.
   */
  private hearsElsewhere(step: Step): boolean {
    return step.private === true && !/\d/.test(this.text);
  }

  /** The chat speaks `locale` from now on, and is told so in it. */
  private useLanguage(locale: Locale): void {
    this.setLocale(locale);
    this.say({ text: this.t('menu:languageSet') });
  }

  private setLocale(locale: Locale): void {
    this.locale = locale;
    this.contactChanges.language = locale;
  }

  /** What a resident typed, as a step reads it. */
  private typedAnswer(): Answer {
    return { kind: this.inbound.kind, text: this.text, media: this.inbound.media, location: this.inbound.location };
  }

  /**
   * "English" or "bahasa indonesia" typed anywhere: the language changes at once and the resident goes on where
   * they were (the question they were at is asked again in the new language), not through a language question.
   */
  private switchLanguage(db: Db, pos: Position | undefined, locale: Locale): Promise<Position> {
    this.useLanguage(locale);
    const asking = (e: { flow: string; step: string }) => pos?.flow === e.flow && pos.step === e.step;
    if (!pos || this.atMenu(pos) || asking(this.entry.language) || asking(this.entry.welcome)) return this.enter(db, { ...this.entry.menu, data: {} });
    // All of it again, in the new language (not only the question, as after a misunderstanding).
    return this.enter(db, pos);
  }

  private atMenu(pos: Position): boolean {
    return pos.flow === this.entry.menu.flow && pos.step === this.entry.menu.step;
  }

  /**
   * A number or label typed in answer to a question sent outside a conversation. Where a channel has no
   * buttons (WhatsApp Web's numbered lists, a WhatsApp template), "5" after the rating question means a
   * rating of 5, not the menu's fifth item. Taken only when that question is the last thing we sent to this
   * chat and the chat is resting (at the menu or expired), so it never cuts into a conversation under way.
   */
  private async typedOutsideChoice(db: Db): Promise<Position | undefined> {
    const routes = this.deps.choiceRoutes ?? [];
    if (this.inbound.kind !== 'text' || !this.text || routes.length === 0) return undefined;
    const options = await lastSentOptions(db, this.contact.id);
    if (!options || !options.every((o) => routes.some((r) => o.id.startsWith(r.prefix)))) return undefined;
    const picked = pickOption(options, { text: this.text });
    const route = picked && routes.find((r) => picked.id.startsWith(r.prefix));
    if (!picked || !route) return undefined;
    const answer: Answer = { kind: 'choice', text: this.text, choice: picked.id };
    return this.follow(db, { ...this.entry.menu, data: {} }, { flow: route.flow, step: route.step, forward: true }, answer);
  }

  private async runCommand(db: Db, command: GlobalCommand, pos: Position | undefined): Promise<Position> {
    switch (command) {
      case 'menu':
        return this.enter(db, { ...this.entry.menu, data: {} });
      case 'cancel':
        this.say({ text: this.t('chat:cancelled') });
        return this.enter(db, { ...this.entry.menu, data: {} });
      case 'help':
        this.say({ text: this.t('chat:help') });
        return pos ? this.reprompt(db, pos) : this.enter(db, { ...this.entry.menu, data: {} });
      case 'language': {
        const named = this.inbound.kind === 'text' ? matchLanguage(this.text) : undefined;
        if (named) return this.switchLanguage(db, pos, named);
        return this.enter(db, { ...this.entry.language, data: {} });
      }
      case 'officer':
      case 'stop':
      case 'resume':
      case 'myData':
      case 'deleteHistory':
        return this.enter(db, { ...this.entry[command], data: {} });
    }
  }

  private async answer(db: Db, pos: Position, step: Step, offered: Option[]): Promise<Position> {
    const kind = this.inbound.kind;
    if (kind === 'voice') {
      this.say({ text: this.t('chat:pleaseType') });
      return this.reprompt(db, pos);
    }
    const isText = kind === 'text' || kind === 'choice';
    if (!isText && !step.accepts?.includes(kind)) {
      this.say({ text: this.t(kind === 'sticker' ? 'chat:sticker' : 'chat:textExpected') });
      return this.reprompt(db, pos);
    }
    const picked = pickOption(offered, { choice: this.inbound.choice, text: this.text });
    if (this.inbound.choice !== undefined && !picked) {
      // A button from an earlier message: say so rather than guess what it meant here.
      this.say({ text: this.t('chat:staleChoice') });
      return this.reprompt(db, pos);
    }
    if (!step.handle) return this.enter(db, pos);
    if (kind === 'text' && !picked && this.text && this.hearsElsewhere(step)) {
      const elsewhere: Position = { ...this.entry.elsewhere, data: { back: pos } };
      if (this.stepOf(elsewhere)?.handle) return this.follow(db, pos, { ...elsewhere, forward: true }, this.typedAnswer());
    }
    const answer: Answer = {
      kind,
      text: this.text,
      choice: picked?.id,
      media: this.inbound.media,
      location: this.inbound.location,
      ...(this.inbound.sharedContact ? { sharedContact: { own: this.inbound.sharedContact.own } } : {}),
    };
    const outcome = await step.handle(this.context(db, pos), answer);
    // The step could not use what was typed ("undangan" at the aid result, "syarat PKH" at a list): before
    // saying so, see whether it asks for something elsewhere. `retried` is what the step would have said.
    if ('retry' in outcome && kind === 'text' && !picked && this.text) {
      const elsewhere: Position = { ...this.entry.elsewhere, data: { back: pos, retried: outcome.say ?? [] } };
      if (this.stepOf(elsewhere)?.handle) return this.follow(db, pos, { ...elsewhere, forward: true }, this.typedAnswer());
    }
    return this.follow(db, pos, outcome, answer);
  }

  private async follow(db: Db, pos: Position, outcome: Outcome, answer: Answer, hops = 0): Promise<Position> {
    if (outcome.say) this.say(...outcome.say);
    if (hops > MAX_HOPS) throw new Error(`flow ${pos.flow} forwarded too many times`);
    if ('retry' in outcome) return this.reprompt(db, pos);
    if ('wait' in outcome) return outcome.data ? { ...pos, data: { ...pos.data, ...outcome.data } } : pos;
    if ('end' in outcome) return this.enter(db, this.menuAfter(pos, (outcome.say?.length ?? 0) > 0));
    if ('goto' in outcome) return this.enter(db, { ...pos, step: outcome.goto });
    const target: Position = { flow: outcome.flow, step: outcome.step ?? this.flowStart(outcome.flow), data: outcome.data ?? {} };
    const step = this.stepOf(target);
    if (!step) throw new Error(`unknown step ${target.flow}.${target.step}`);
    if (outcome.forward && step.handle) {
      const next = await step.handle(this.context(db, target), answer);
      return this.follow(db, target, next, answer, hops + 1);
    }
    if (outcome.again) return this.reprompt(db, target);
    return this.enter(db, target);
  }

  /** Arrives at a step: says its prompt, remembers its options, and moves on at once from steps that only inform. */
  private async enter(db: Db, pos: Position): Promise<Position> {
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const step = this.stepOf(pos);
      if (!step) throw new Error(`unknown step ${pos.flow}.${pos.step}`);
      const prompt = await step.prompt(this.context(db, pos));
      this.say(...prompt);
      const offered = prompt.flatMap((r) => r.options ?? []);
      pos = { ...pos, data: { ...pos.data, [OPTIONS_KEY]: offered } };
      if (step.handle) return pos;
      const next = step.next ?? { end: true as const };
      if ('goto' in next) pos = { ...pos, step: next.goto };
      else if ('flow' in next) pos = { flow: next.flow, step: next.step ?? this.flowStart(next.flow), data: {} };
      else pos = this.menuAfter(pos, prompt.length > 0);
    }
    throw new Error(`flow ${pos.flow} moved too many times without waiting`);
  }

  /**
   * The step asked again after an answer it could not use: only its question (the last bubble, with the
   * options), not everything before it. A resident who mistyped at an invitation gets "Apa jawaban Bapak/Ibu?"
   * and its buttons again, not the invitation, the QR and the list of documents a second time.
   */
  private async reprompt(db: Db, pos: Position): Promise<Position> {
    const step = this.stepOf(pos);
    if (!step?.handle) return this.enter(db, pos);
    const prompt = await step.prompt(this.context(db, pos));
    this.say(...prompt.slice(-1));
    return { ...pos, data: { ...pos.data, [OPTIONS_KEY]: prompt.flatMap((r) => r.options ?? []) } };
  }

  /**
   * The menu after a flow ends. After a task that said how it ended ("Laporan sudah kami terima", "kehadiran
   * sudah kami catat") it asks whether there is anything else (data.afterTask); after setting the chat up, or
   * leaving a flow without a word, it asks its first question.
   */
  private menuAfter(ended: Position, said: boolean): Position {
    const afterTask = said && !this.deps.flows[ended.flow]?.setup && ended.flow !== this.entry.menu.flow;
    return { ...this.entry.menu, data: afterTask ? { afterTask: true } : {} };
  }

  private stepOf(pos: Position): Step | undefined {
    return this.deps.flows[pos.flow]?.steps[pos.step];
  }

  private flowStart(flow: string): string {
    const f = this.deps.flows[flow];
    if (!f) throw new Error(`unknown flow ${flow}`);
    return f.start;
  }

  private context(db: Db, pos: Position): StepContext {
    const chat: ChatControls = {
      setLanguage: (locale) => {
        this.setLocale(locale);
      },
      recordConsent: () => {
        if (!this.contact.consentAt) this.contactChanges.consentAt = this.now;
      },
      endHandover: () => {
        this.contactChanges.handoverAt = null;
        this.contactChanges.handoverMessageId = null;
      },
      startHandover: () => {
        this.contactChanges.handoverAt = this.now;
        // The handover page shows the chat from this message on (services/handover.ts).
        this.contactChanges.handoverMessageId = this.messageId;
      },
      linkMember: (memberId, householdId) => {
        this.memberId = memberId;
        this.householdId = householdId;
      },
      holdReplies: (ms) => {
        this.holdMs = Math.max(this.holdMs, ms);
      },
    };
    return {
      t: (key, vars) => this.t(key, vars),
      locale: this.locale,
      timeZone: this.deps.timeZone,
      now: this.now,
      contact: { id: this.contact.id, channel: this.contact.channel, memberId: this.memberId, householdId: this.householdId },
      messageId: this.messageId,
      data: pos.data,
      services: this.servicesFor(db),
      chat,
      clientAddress: this.inbound.clientAddress,
    };
  }

  private servicesFor(db: Db): Services {
    let services = this.bound.get(db);
    if (!services) this.bound.set(db, (services = this.deps.bindServices(db)));
    return services;
  }

  private t(key: string, vars?: Record<string, unknown>): string {
    return this.deps.i18n.t(key, { lng: this.locale, ...vars });
  }

  private say(...replies: Reply[]) {
    this.replies.push(...replies);
  }
}

/** Buttons may carry a global command ("cmd:menu"), so a "back to menu" button works at any step. */
function commandChoice(choice: string | undefined): GlobalCommand | undefined {
  if (!choice?.startsWith('cmd:')) return undefined;
  const c = choice.slice(4);
  return GLOBAL_COMMANDS.find((x) => x === c);
}
