import { EventEmitter } from 'node:events';
import type { ClientLike, SentMessageLike, WwebjsChatLike } from '../../src/channels/whatsapp-web/client.ts';
import type { WwebjsMessageLike } from '../../src/channels/whatsapp-web/inbound.ts';

/**
 * A stand-in for whatsapp-web.js: the same event names (qr, authenticated, auth_failure, ready, change_state,
 * disconnected, message, message_ack) and the methods Pintu calls, without Chromium or WhatsApp. `FakeWhatsapp` is the
 * account and its phone: it outlives clients (as LocalAuth's saved session and the chat history do), so a
 * reconnect gets a new FakeWwebjsClient over the same chats.
 */
export class FakeWhatsapp {
  readonly clients: FakeWwebjsClient[] = [];
  /**
   * Numbers without a WhatsApp account, as chat ids (`62812…@c.us`): getNumberId answers null, isRegisteredUser
   * false, and sendMessage fails as the real one does.
   */
  readonly unregistered = new Set<string>();
  /** Every number lookup (getNumberId, and isRegisteredUser through it), as the id asked about. */
  readonly numberChecks: string[] = [];
  /** Set to make number lookups throw (the page went away mid-call). */
  numberCheckError: Error | undefined;
  readonly chats = new Map<string, FakeChat>();
  /** A session saved by an earlier scan: initialize goes to authenticated and ready without a QR. */
  savedSession = false;
  /** Set to make the next initialize() calls reject (Chromium missing, page crash). */
  initializeError: Error | undefined;
  /** Return an Error to make a sendMessage throw it, 'empty' to make it resolve with nothing. */
  sendBehaviour: (chatId: string, content: unknown) => Error | 'empty' | undefined = () => undefined;
  private seq = 0;

  /** Give this to the adapter as deps.createClient. */
  readonly createClient = (): ClientLike => {
    const client = new FakeWwebjsClient(this);
    this.clients.push(client);
    this.mostAtOnce = Math.max(this.mostAtOnce, this.clients.filter((c) => !c.destroyed).length);
    return client;
  };

  /** The most clients that were alive (created, not destroyed) at one time: more than one means two drivers. */
  mostAtOnce = 0;

  get latest(): FakeWwebjsClient {
    const c = this.clients[this.clients.length - 1];
    if (!c) throw new Error('no fake client created yet');
    return c;
  }

  /** Every message this account sent, over all clients, oldest first. */
  get sent(): FakeSent[] {
    return this.clients.flatMap((c) => c.sent).sort((a, b) => a.seq - b.seq);
  }

  chat(id: string): FakeChat {
    let chat = this.chats.get(id);
    if (!chat) {
      chat = new FakeChat(id);
      this.chats.set(id, chat);
    }
    return chat;
  }

  /** A message lands in its chat, unread, without any event (as while no client is running). */
  arrive(init: IncomingInit): FakeMessage {
    const m = new FakeMessage(init);
    const chat = this.chat(init.from);
    chat.messages.push(m);
    if (!m.fromMe) chat.unreadCount++;
    return m;
  }

  nextSeq(): number {
    return ++this.seq;
  }
}

export interface FakeSent {
  seq: number;
  chatId: string;
  content: unknown;
  options: Record<string, unknown> | undefined;
  /** The text, or the caption of media. */
  body: string;
  message: FakeMessage;
}

export interface IncomingInit {
  from: string;
  body?: string;
  type?: string;
  fromMe?: boolean;
  isStatus?: boolean;
  author?: string;
  hasMedia?: boolean;
  mimetype?: string;
  filename?: string;
  size?: number;
  notifyName?: string;
  location?: { latitude: number | string; longitude: number | string };
  /** Unix seconds; now by default. */
  timestamp?: number;
  id?: string;
}

/** Message-like, with the fields whatsapp-web.js's Message has. */
export class FakeMessage implements WwebjsMessageLike, SentMessageLike {
  id: { _serialized: string; fromMe: boolean; remote: string; id: string };
  from: string;
  to: string;
  fromMe: boolean;
  isStatus: boolean;
  author?: string;
  type: string;
  body: string;
  hasMedia: boolean;
  timestamp: number;
  /** The ticks (MessageAck), 0 until an ack says more; see FakeWwebjsClient.ack. */
  ack = 0;
  location?: { latitude: string | number; longitude: string | number };
  _data: { mimetype?: string; filename?: string; size?: number; notifyName?: string };

  constructor(init: IncomingInit & { to?: string }) {
    const key = init.id ?? `3EB0${Math.random().toString(16).slice(2, 14).toUpperCase()}`;
    this.fromMe = init.fromMe ?? false;
    const remote = init.from;
    this.id = { _serialized: `${this.fromMe}_${remote}_${key}`, fromMe: this.fromMe, remote, id: key };
    this.from = init.from;
    this.to = init.to ?? 'me@c.us';
    this.isStatus = init.isStatus ?? init.from === 'status@broadcast';
    if (init.author) this.author = init.author;
    this.type = init.type ?? 'chat';
    this.body = init.body ?? '';
    this.hasMedia = init.hasMedia ?? ['image', 'ptt', 'audio', 'video', 'document', 'sticker'].includes(this.type);
    this.timestamp = init.timestamp ?? Math.floor(Date.now() / 1000);
    if (init.location) this.location = init.location;
    this._data = {
      ...(init.mimetype ? { mimetype: init.mimetype } : {}),
      ...(init.filename ? { filename: init.filename } : {}),
      ...(init.size !== undefined ? { size: init.size } : {}),
      ...(init.notifyName ? { notifyName: init.notifyName } : {}),
    };
  }
}

export class FakeChat implements WwebjsChatLike {
  readonly id: { _serialized: string };
  readonly isGroup: boolean;
  unreadCount = 0;
  readonly messages: FakeMessage[] = [];

  constructor(id: string) {
    this.id = { _serialized: id };
    this.isGroup = id.endsWith('@g.us');
  }

  async fetchMessages(searchOptions: { limit?: number; fromMe?: boolean }): Promise<FakeMessage[]> {
    const matching = this.messages.filter((m) => searchOptions.fromMe === undefined || m.fromMe === searchOptions.fromMe);
    return matching.slice(-(searchOptions.limit ?? 50));
  }
}

export class FakeWwebjsClient extends EventEmitter implements ClientLike {
  readonly sent: FakeSent[] = [];
  initializeCalls = 0;
  destroyed = false;
  ready = false;
  createdAt = Date.now();
  private qrSeq = 0;

  constructor(readonly world: FakeWhatsapp) {
    super();
  }

  async initialize(): Promise<void> {
    this.initializeCalls++;
    if (this.world.initializeError) throw this.world.initializeError;
    // The real client emits after loading the page; never within initialize's own tick.
    setImmediate(() => {
      if (this.destroyed) return;
      if (this.world.savedSession) this.scan();
      else this.showQr();
    });
  }

  /** A new pairing code, as WhatsApp Web shows every 20 seconds or so. */
  showQr(): string {
    const code = `2@fake-qr-${this.world.clients.indexOf(this)}-${++this.qrSeq},abc=,def=,1`;
    this.emit('qr', code);
    return code;
  }

  /** The phone scans the code: authenticated, then ready. */
  scan(): void {
    this.world.savedSession = true;
    this.emit('authenticated');
    this.ready = true;
    this.emit('change_state', 'CONNECTED');
    this.emit('ready');
  }

  failAuth(message = 'restore session failed'): void {
    this.emit('auth_failure', message);
  }

  /** WhatsApp drops the link: 'NAVIGATION', 'LOGOUT', 'CONFLICT', 'UNPAIRED', … */
  disconnect(reason = 'NAVIGATION'): void {
    this.ready = false;
    this.emit('disconnected', reason);
  }

  changeState(state: string): void {
    this.emit('change_state', state);
  }

  /** A resident writes: the message lands in the chat and `message` fires, as for a real one. */
  simulateIncoming(init: IncomingInit): FakeMessage {
    const m = this.world.arrive(init);
    this.emit('message', m);
    return m;
  }


  async destroy(): Promise<void> {
    this.destroyed = true;
    this.ready = false;
  }

  async getState(): Promise<string | null> {
    return this.ready ? 'CONNECTED' : null;
  }

  /** As whatsapp-web.js: `@c.us` is appended to a bare number; the account's id, or null without one. */
  async getNumberId(number: string): Promise<{ server: string; user: string; _serialized: string } | null> {
    this.assertUsable();
    const id = number.endsWith('@c.us') ? number : `${number}@c.us`;
    this.world.numberChecks.push(id);
    if (this.world.numberCheckError) throw this.world.numberCheckError;
    if (this.world.unregistered.has(id)) return null;
    return { server: 'c.us', user: id.slice(0, -'@c.us'.length), _serialized: id };
  }

  /** As whatsapp-web.js: `Boolean(await this.getNumberId(id))`. */
  async isRegisteredUser(id: string): Promise<boolean> {
    return Boolean(await this.getNumberId(id));
  }

  /**
   * The ticks under a message we sent change: `message_ack` fires with the message and the new value
   * (whatsapp-web.js's MessageAck: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played).
   */
  ack(message: FakeMessage, ack: number): void {
    message.ack = ack;
    this.emit('message_ack', message, ack);
  }

  delivered(message: FakeMessage): void {
    this.ack(message, 2);
  }

  read(message: FakeMessage): void {
    this.ack(message, 3);
  }

  failDelivery(message: FakeMessage): void {
    this.ack(message, -1);
  }

  async sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>): Promise<FakeMessage | undefined> {
    this.assertUsable();
    if (this.world.unregistered.has(chatId)) throw new Error('Evaluation failed: Error: No LID for user');
    const behaviour = this.world.sendBehaviour(chatId, content);
    if (behaviour instanceof Error) throw behaviour;
    if (behaviour === 'empty') return undefined;
    const isText = typeof content === 'string';
    const body = isText ? content : typeof options?.caption === 'string' ? options.caption : '';
    const message = new FakeMessage({ from: chatId, to: chatId, fromMe: true, body, type: isText ? 'chat' : 'image', hasMedia: !isText });
    const chat = this.world.chat(chatId);
    chat.messages.push(message);
    chat.unreadCount = 0; // sendSeen: answering reads the chat
    this.sent.push({ seq: this.world.nextSeq(), chatId, content, options, body, message });
    return message;
  }

  async getChats(): Promise<FakeChat[]> {
    this.assertUsable();
    return [...this.world.chats.values()];
  }

  async getChatById(chatId: string): Promise<FakeChat> {
    this.assertUsable();
    return this.world.chat(chatId);
  }

  private assertUsable() {
    if (this.destroyed) throw new Error('Protocol error: Session closed. Most likely the page has been closed.');
  }
}
