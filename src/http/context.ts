import type { Context, Hono } from 'hono';
import type { WebchatHub } from '../channels/webchat/hub.ts';
import type { Locale } from '../domain/vocabulary.ts';
import type { Engine } from '../conversation/engine.ts';
import type { Database } from '../db/client.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics/index.ts';
import type { OutreachEnv } from '../services/outreach/env.ts';
import type { IdentityEnv } from '../services/identity/env.ts';
import type { Client } from './client.ts';
import type { PublicLimiters } from './limits/public.ts';

/** What every HTTP handler may use; built once in main.ts and passed down, never imported as a global. */
export interface AppDeps {
  database: Database;
  i18n: Translator;
  logger: Logger;
  defaultLocale: Locale;
  /** APP_TIMEZONE: how the office reads times (deadlines, dashboards, reminders). */
  timeZone: string;
  /** The service's clock; tests pass a fake one. */
  clock: () => Date;
  engine: Engine;
  webchat: WebchatHub;
  /** TRUST_PROXY: our own reverse proxy is in front; how the client's address and scheme are read (http/client.ts). */
  trustProxy?: boolean;
  /** Named status reporters shown by /health (channels add theirs: telegram, whatsapp_web, ...). */
  components?: Map<string, () => Record<string, unknown>>;
  /** The demo phone page is on (/demo/phones): the embedded demo city with no WhatsApp channel. */
  demoPhones?: boolean;
  /** Webhook routes of the channels that are switched on (Telegram, WhatsApp Cloud). */
  channelRoutes?: Hono[];
  /** The WhatsApp Web session's state and pairing QR, when that channel is on. */
  whatsappWebStatus?: () => Record<string, unknown> | undefined;
  /** Prometheus metrics of this app instance, served at /metrics. */
  metrics?: Metrics;
  /** What the identity services need to link a chat (the console's in-person link); built in compose.ts. */
  identity?: IdentityEnv;
  /** The channel the office writes first to registry phones with (invitations, reminders); built in compose.ts. */
  outreach?: OutreachEnv;
  /** This process's counters of what each client may do and hold on the public routes (http/limits/). */
  limits: PublicLimiters;
  /** The WhatsApp Cloud message templates: their settings and the sync with Meta (app/template-sync.ts); absent without the Cloud API. */
  templates?: TemplateSync;
  /** IKM_TARGET: the satisfaction index every service is measured against (config.ts's default when absent). */
  ikmTarget?: number;
}

/** What the console needs of the template sync: the settings it runs with, a sync now, and how the last one went. */
export interface TemplateSync {
  /** WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: every template is sent, and so chosen, in this language. */
  language: string;
  /** The setting's template per kind (WHATSAPP_CLOUD_TEMPLATE_INVITATION, _REMINDER, _NOTICE): used when an event chose none. */
  defaults: { invitation: string; reminder: string; notice: string };
  /** WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID is set: without it there is no list to read. */
  canSync: boolean;
  /** Reads Meta's list and stores it; never throws. */
  sync(): Promise<TemplateSyncResult>;
  /** The last sync this process ran, if any. */
  last(): TemplateSyncResult | undefined;
}

export type TemplateSyncResult = { ok: true; at: Date; saved: number; deleted: number; skipped: number } | { ok: false; at: Date; error: string };

export interface AppEnv {
  /** errorAnswers: how the area that is answering says "forbidden" or "failed" (errors.ts). */
  Variables: { locale: Locale; errorAnswers?: ErrorAnswers; client: Client };
}

/** How one area answers, on the context that failed. */
export type Answer<E extends AppEnv = AppEnv> = (c: Context<E>) => Response | Promise<Response>;

export interface ErrorAnswers<E extends AppEnv = AppEnv> {
  /** A service's Forbidden. */
  forbidden: Answer<E>;
  /** Anything unexpected (already logged). The app's JSON 500 when absent. */
  internal?: Answer<E>;
  /** A body over its limit that no route answered itself (http/limits/body.ts). The app's JSON 413 when absent. */
  tooLarge?: Answer<E>;
}
