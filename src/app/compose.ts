import type { OutreachEnv } from '../services/outreach/env.ts';
import type { Hono } from 'hono';
import { choiceRoutes, flows } from '../../flows/index.ts';
import type { AdapterContext, ChannelAdapter } from '../channels/adapter.ts';
import { createTelegramAdapter } from '../channels/telegram/adapter.ts';
import { DemoPhoneSender } from '../channels/demo-phone/sender.ts';
import { WebchatHub } from '../channels/webchat/hub.ts';
import { createWhatsappCloudAdapter } from '../channels/whatsapp-cloud/adapter.ts';
import { createWhatsappWebAdapter } from '../channels/whatsapp-web/adapter.ts';
import type { Config } from '../config.ts';
import { createEngine } from '../conversation/engine.ts';
import type { Database } from '../db/client.ts';
import type { AppDeps } from '../http/context.ts';
import { createI18n, type Translator } from '../i18n.ts';
import type { Logger } from '../log.ts';
import { startJobs } from './jobs.ts';
import { createTemplateSync } from './template-sync.ts';
import { createMetrics } from '../metrics/index.ts';
import { Dispatcher } from '../outbox/dispatcher.ts';
import { servicesBinder, type IdentityEnv } from '../services/for-flows.ts';
import { DEFAULT_IDENTITY_LIMITS, DEFAULT_IKM_TARGET, DEFAULT_PPKS_URGENT_HOURS, DEFAULT_PUBLIC_LIMITS } from '../config.ts';
import { createPublicLimiters } from '../http/limits/public.ts';

export type ComposeConfig = Pick<Config, 'defaultLocale' | 'timezone'> &
  Partial<Pick<Config, 'ppksUrgentHours' | 'telegram' | 'whatsappCloud' | 'whatsappWeb' | 'dataDir' | 'outboxPollMs' | 'outboxClaimTtlMs' | 'metricsToken' | 'identityLimits' | 'trustProxy' | 'messageRetentionMonths' | 'publicLimits' | 'webchatIdleDays' | 'ikmTarget'>> & {
    /** The demo phone page is on: the embedded demo city with no WhatsApp channel (src/app/start.ts decides). */
    demoPhones?: boolean;
  };

export interface Composition extends AppDeps {
  dispatcher: Dispatcher;
  channels: ChannelAdapter[];
  /** Starts the channels' clients and the dispatcher (after the HTTP server listens). */
  start(): Promise<void>;
  /** Stops taking messages, finishes sends in hand, and lets go of clients. The database stays open. */
  stop(): Promise<void>;
}

/** Everything the service runs, built over one database. Used by the service and by tests alike. */
/** The dispatcher's connections, beside DATABASE_POOL_SIZE: a claim, and the settling of sent batches. */
export const DISPATCHER_POOL_SIZE = 3;

export async function composeApp(
  database: Database,
  config: ComposeConfig,
  logger: Logger,
  opts: { clock?: () => Date; adapters?: (ctx: AdapterContext) => ChannelAdapter[] } = {},
): Promise<Composition> {
  const i18n = await createI18n(config.defaultLocale);
  const metrics = createMetrics({ database, logger, clock: opts.clock, token: config.metricsToken });
  const identity: IdentityEnv = { i18n, defaultLocale: config.defaultLocale, phoneChannel: phoneChannelOf(config), limits: config.identityLimits ?? DEFAULT_IDENTITY_LIMITS };
  const outreach = outreachOf(config);
  const engine = createEngine({
    database,
    flows,
    choiceRoutes,
    i18n,
    logger,
    defaultLocale: config.defaultLocale,
    timeZone: config.timezone,
    bindServices: servicesBinder(identity, { urgentHours: config.ppksUrgentHours ?? DEFAULT_PPKS_URGENT_HOURS, log: logger }),
    clock: opts.clock,
    metrics,
  });
  // Its own few connections (client.ts lane): replies keep going out while turns hold the main pool.
  const dispatcher = new Dispatcher(database.lane(DISPATCHER_POOL_SIZE), logger, { pollMs: config.outboxPollMs ?? 250, claimTtlMs: config.outboxClaimTtlMs, metrics });
  const webchat = new WebchatHub(() => dispatcher.wake());
  dispatcher.register(webchat);
  const ctx: AdapterContext = { database, engine, logger, wakeDispatcher: () => dispatcher.wake() };
  const channels = opts.adapters ? opts.adapters(ctx) : configuredAdapters(ctx, config, logger, i18n);
  for (const ch of channels) dispatcher.register(ch.sender);
  // The demo city's phones, answered on /demo/phones: only where start.ts found the embedded demo and no WhatsApp.
  const demoPhones = config.demoPhones === true && phoneChannelOf(config) === 'demo_phone';
  if (demoPhones) dispatcher.register(new DemoPhoneSender());

  let jobs: { stop(): void } | undefined;
  // WhatsApp Cloud templates from Meta: at start-up and every 6 hours when the Business Account id is set.
  const templates = config.whatsappCloud ? createTemplateSync(database, config.whatsappCloud, logger, opts.clock) : undefined;
  let templateJob: { stop(): void } | undefined;
  const components = new Map<string, () => Record<string, unknown>>();
  components.set('webchat', () => ({ state: 'ready' }));
  for (const ch of channels) components.set(ch.channel, () => ch.status());

  return {
    database,
    i18n,
    logger,
    defaultLocale: config.defaultLocale,
    timeZone: config.timezone,
    clock: opts.clock ?? (() => new Date()),
    engine,
    webchat,
    trustProxy: config.trustProxy ?? false,
    components,
    demoPhones,
    channelRoutes: channels.flatMap((c) => (c.routes ? [c.routes as Hono] : [])),
    whatsappWebStatus: () => channels.find((c) => c.channel === 'whatsapp_web')?.status(),
    metrics,
    identity,
    outreach,
    limits: createPublicLimiters(config.publicLimits ?? DEFAULT_PUBLIC_LIMITS),
    templates,
    ikmTarget: config.ikmTarget ?? DEFAULT_IKM_TARGET,
    dispatcher,
    channels,
    async start() {
      for (const ch of channels) await ch.start();
      await dispatcher.start();
      jobs = startJobs(
        database,
        logger,
        undefined,
        { timeZone: config.timezone, i18n, defaultLocale: config.defaultLocale, outreach, clock: opts.clock, onQueued: () => dispatcher.wake() },
        channels.flatMap((c) => (c.media ? [c.media] : [])),
        { messageMonths: config.messageRetentionMonths ?? 12, webchatIdleDays: config.webchatIdleDays ?? 30 },
      );
      templateJob = templates?.schedule();
    },
    async stop() {
      jobs?.stop();
      templateJob?.stop();
      await Promise.all(channels.map((c) => c.stop().catch((err: unknown) => logger.warn({ err, channel: c.channel }, 'channel did not stop cleanly'))));
      await dispatcher.stop();
    },
  };
}

/** The channel that reaches registry phones (codes, "a new chat linked to your family"), if any is on. */
export function phoneChannelOf(config: ComposeConfig): IdentityEnv['phoneChannel'] {
  if (config.whatsappCloud) return 'whatsapp_cloud';
  if (config.whatsappWeb) return 'whatsapp_web';
  return config.demoPhones ? 'demo_phone' : null;
}

/** The channel and limits the office writes first to registry phones with (services/outreach/env.ts). */
export function outreachOf(config: ComposeConfig): OutreachEnv {
  const cloud = config.whatsappCloud;
  return {
    phoneChannel: phoneChannelOf(config),
    ...(cloud
      ? {
          cloud: {
            templateLanguage: cloud.templates.language,
            templates: { invitation: cloud.templates.invitation, reminder: cloud.templates.reminder, notice: cloud.templates.notice },
            dailyNewConversations: cloud.dailyNewConversations ?? 1000,
          },
        }
      : {}),
  };
}

/** Each channel switches on when its settings are present. */
function configuredAdapters(ctx: AdapterContext, config: ComposeConfig, logger: Logger, i18n: Translator): ChannelAdapter[] {
  const adapters: ChannelAdapter[] = [];
  if (config.telegram) adapters.push(createTelegramAdapter(ctx, config.telegram));
  if (config.whatsappCloud) adapters.push(createWhatsappCloudAdapter(ctx, config.whatsappCloud, { i18n, defaultLocale: config.defaultLocale }));
  if (config.whatsappWeb) {
    adapters.push(createWhatsappWebAdapter(ctx, { ...config.whatsappWeb, dataDir: config.dataDir ?? './data', defaultLocale: config.defaultLocale }));
  }
  if (adapters.length === 0) logger.info('no Telegram or WhatsApp settings: only the web chat is on');
  return adapters;
}
