import type { Hono } from 'hono';
import type { Engine } from '../conversation/engine.ts';
import type { Channel } from '../domain/vocabulary.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { MediaFetcher } from '../services/complaints/media-fetcher.ts';
import type { ChannelSender } from '../outbox/sender.ts';

/** What an adapter needs from the rest of the service; given by the composition root. */
export interface AdapterContext {
  database: Database;
  engine: Engine;
  logger: Logger;
  /** Asks the outbox dispatcher to look for work now (after an inbound message queued replies). */
  wakeDispatcher(): void;
}

/**
 * One channel: inbound (webhook routes and/or a long-running client), outbound (a sender the dispatcher
 * drives), and a status for /health and the console.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  readonly sender: ChannelSender;
  /** Gets a resident's file back by the provider's id (attachments job); absent where there is none. */
  readonly media?: MediaFetcher;
  /** Mounted at the app root, e.g. POST /webhooks/telegram. */
  readonly routes?: Hono;
  status(): ChannelStatus;
  /** Starts polling or a client; resolves once started (not once connected). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What /health and the console show of a channel (WhatsApp Web: qr, authenticated, ready, ...). */
export type ChannelStatus = Record<string, unknown>;
