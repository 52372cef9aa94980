import { join, resolve } from 'node:path';
import type WAWebJS from 'whatsapp-web.js';
import type { WwebjsMessageLike } from './inbound.ts';
import type { MediaSpec } from './render.ts';

/** A message this account sent, as sendMessage returns it and fetchMessages lists it. */
export type SentMessageLike = Pick<WwebjsMessageLike, 'id' | 'body' | 'fromMe' | 'timestamp' | 'type'>;

export interface WwebjsChatLike {
  id: { _serialized: string };
  isGroup: boolean;
  unreadCount: number;
  /** The chat's last messages, oldest first. */
  fetchMessages(searchOptions: { limit?: number; fromMe?: boolean }): Promise<WwebjsMessageLike[]>;
}

/**
 * The part of whatsapp-web.js's `Client` that Pintu uses. The real Client satisfies it (checked where the
 * production runtime builds one, below); tests use the fake in test/fakes/wwebjs.ts.
 */
export interface ClientLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  /** Launches Chromium and opens WhatsApp Web; 'qr' or 'authenticated' follow as events. */
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: unknown, options?: Record<string, unknown>): Promise<SentMessageLike | null | undefined>;
  getState?(): Promise<string | null>;
  isRegisteredUser?(id: string): Promise<boolean>;
  getChats?(): Promise<WwebjsChatLike[]>;
  getChatById?(chatId: string): Promise<WwebjsChatLike>;
}

/** What the adapter builds clients and media with: whatsapp-web.js in production, a fake in tests. */
export interface WwebjsRuntime {
  createClient(): ClientLike;
  /** whatsapp-web.js checks `instanceof MessageMedia`, so media must be built by the same module as the client. */
  createMedia(spec: MediaSpec): unknown;
}

export interface WwebjsClientConfig {
  chromiumPath: string;
  dataDir: string;
}

// The system Chromium in a container or small server: no sandbox (it runs as an unprivileged service user
// already), no GPU, /tmp instead of a small /dev/shm, and no background chatter to Google.
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];

/**
 * The real thing. whatsapp-web.js (with puppeteer) is loaded only here, on first use, so that processes and
 * tests without WhatsApp Web never pay for it; it is CommonJS, so its exports sit on the default import.
 */
export async function loadWwebjsRuntime(config: WwebjsClientConfig): Promise<WwebjsRuntime> {
  const wwebjs: typeof WAWebJS = (await import('whatsapp-web.js')).default;
  const { Client, LocalAuth, MessageMedia } = wwebjs;
  return {
    createClient() {
      const client: ClientLike = new Client({
        // The session (keys of the linked device) survives restarts here, so the QR is scanned once. Every
        // process that may take the session over (see session-lock.ts) must see the same directory.
        authStrategy: new LocalAuth({ dataPath: resolve(join(config.dataDir, 'wwebjs')) }),
        puppeteer: { executablePath: config.chromiumPath, headless: true, args: CHROMIUM_ARGS },
      });
      return client;
    },
    createMedia: (spec) => new MessageMedia(spec.mimetype, spec.data, spec.filename ?? null),
  };
}
