import { z } from 'zod';
import { LOCALES, type Locale } from './domain/vocabulary.ts';

// Every setting Pintu reads, validated once at start-up. A bad value stops the process with one line
// that names the variable, so an operator never runs with a half-understood configuration.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (what: string) =>
  z.url({ protocol: /^https?$/, error: `must be an http(s) URL (${what})` }).transform((v) => v.replace(/\/+$/, ''));

const optionalText = z.string().trim().min(1, 'must not be empty').optional();

const rate = (fallback: number) =>
  z.coerce.number({ error: 'must be a number of messages per second' }).positive('must be more than 0').max(10_000, 'must be at most 10000').default(fallback);

const interval = (fallback: number) =>
  z.coerce.number({ error: 'must be a whole number of milliseconds' }).int('must be a whole number of milliseconds').min(0, 'must not be negative').max(600_000).default(fallback);

const wholeNumber = (min: number, max: number, fallback: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int(error).min(min, error).max(max, error).default(fallback);
};

const templateName = (fallback: string) =>
  z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a WhatsApp template name (lowercase letters, digits, _)').default(fallback);

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA time zone such as Asia/Jakarta' },
);


/** The identity lookup limits (DESIGN.md "Identity"); services/identity/limits.ts applies them. */
export interface IdentityLimits {
  /** IDENTITY_LOOKUPS_PER_CHAT: lookups one chat may make in an hour, whatever their outcome. */
  perChatHour: number;
  /** IDENTITY_LOOKUPS_PER_ADDRESS: lookups from one client address (the web chat) in an hour. */
  perAddressHour: number;
  /** IDENTITY_CHATS_PER_MEMBER: different chats that may look one person up in a day. */
  chatsPerMemberDay: number;
  /** IDENTITY_ALERT_PER_MINUTE: lookups city-wide in a minute above which the audit log and /metrics are told. */
  alertPerMinute: number;
}

export const DEFAULT_IDENTITY_LIMITS: IdentityLimits = { perChatHour: 10, perAddressHour: 20, chatsPerMemberDay: 3, alertPerMinute: 120 };

/**
 * What one client may make a process hold or write through the public routes (http/limits/ applies them).
 * Counted in each process's memory: flood control, not a quota (README "Limits").
 */
export interface PublicLimits {
  /** WEBCHAT_NEW_CHATS_PER_ADDRESS: new web chats one client address may start in an hour. */
  newChatsPerAddressHour: number;
  /** PUBLIC_POSTS_PER_ADDRESS: web chat and demo phone posts one client address may make in a minute. */
  postsPerAddressMinute: number;
  /** LIVE_STREAMS_PER_ADDRESS: live-update streams (web chat, demo phones) one client address may hold open. */
  streamsPerAddress: number;
  /** LIVE_STREAMS_PER_SESSION: live-update streams one web chat or one console session may hold open. */
  streamsPerSession: number;
  /** REQUEST_BODY_TIMEOUT_MS: a request's body must have arrived whole this long after it began. */
  bodyTimeoutMs: number;
}

export const DEFAULT_PUBLIC_LIMITS: PublicLimits = {
  newChatsPerAddressHour: 60,
  postsPerAddressMinute: 120,
  streamsPerAddress: 50,
  streamsPerSession: 5,
  bodyTimeoutMs: 15_000,
};

/** PPKS_URGENT_HOURS when unset: an urgent report is verified, and then answered, within 4 hours. */
export const DEFAULT_PPKS_URGENT_HOURS = 4;

/** IKM_TARGET when unset: the office's satisfaction target (Batam: IKM 91 → 93.5), on the 0–100 IKM scale. */
export const DEFAULT_IKM_TARGET = 93.5;

const schema = z
  .object({
    PORT: z.coerce
      .number({ error: 'must be a whole number from 1 to 65535' })
      .int('must be a whole number from 1 to 65535')
      .min(1, 'must be a whole number from 1 to 65535')
      .max(65535, 'must be a whole number from 1 to 65535')
      .default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200).default(10),
    DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
    APP_TIMEZONE: timezone.default('Asia/Jakarta'),
    DEFAULT_LOCALE: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` }).default('id'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    SEED_DEMO: z
      .enum(['auto', 'true', 'false'], { error: 'must be auto, true or false' })
      .default('auto'),

    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC... as given by @BotFather')
      .optional(),
    TELEGRAM_MODE: z.enum(['polling', 'webhook'], { error: 'must be polling or webhook' }).optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z, a-z, 0-9, _ or -')
      .optional(),
    TELEGRAM_API_ROOT: url('Telegram Bot API').default('https://api.telegram.org'),

    TELEGRAM_RATE_PER_SECOND: rate(30),

    WHATSAPP_WEB_ENABLED: bool.default(false),
    CHROMIUM_PATH: z.string().min(1, 'must not be empty').default('/usr/bin/chromium'),
    WHATSAPP_WEB_MIN_INTERVAL_MS: interval(2000),
    WHATSAPP_WEB_MAX_INTERVAL_MS: interval(4000),

    WHATSAPP_CLOUD_ACCESS_TOKEN: optionalText,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'must be the numeric phone number id').optional(),
    WHATSAPP_CLOUD_APP_SECRET: optionalText,
    WHATSAPP_CLOUD_VERIFY_TOKEN: optionalText,
    WHATSAPP_CLOUD_API_ROOT: url('Graph API').default('https://graph.facebook.com/v21.0'),
    WHATSAPP_CLOUD_RATE_PER_SECOND: rate(80),
    // The WhatsApp Business Account that owns the number: its message_templates are synced from the Graph API.
    // Without it no template list can be read, and nothing is sent first to a registry phone on the Cloud API.
    WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID: z.string().regex(/^\d+$/, 'must be the numeric WhatsApp Business Account id').optional(),
    // Meta's limit of new conversations the business may open in 24 hours (its messaging tier): templates to
    // numbers that never wrote are spread over the days they need and never sent beyond it.
    WHATSAPP_CLOUD_DAILY_NEW_CONVERSATIONS: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000_000).default(1000),
    WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'must be a template language code such as id or en_US').default('id'),
    WHATSAPP_CLOUD_TEMPLATE_NOTICE: templateName('pintu_pemberitahuan'),
    WHATSAPP_CLOUD_TEMPLATE_INVITATION: templateName('pintu_undangan'),
    WHATSAPP_CLOUD_TEMPLATE_REMINDER: templateName('pintu_pengingat'),
    // An authentication template (category AUTHENTICATION, a copy-code button): the one-time identity code.
    WHATSAPP_CLOUD_TEMPLATE_CODE: templateName('pintu_kode'),

    OUTBOX_POLL_MS: z.coerce.number().int('must be a whole number').min(10, 'must be at least 10').max(60_000).default(250),
    // Longer than the slowest send may take (the Telegram client gives up after 30 s, the Cloud one after 20 s),
    // or a live send could be taken for an interrupted one.
    OUTBOX_CLAIM_TTL_MS: z.coerce.number().int('must be a whole number').min(35_000, 'must be at least 35000 (longer than a send may take)').max(3_600_000).default(120_000),
    // Identity lookup limits (DESIGN.md "Identity"): per chat and per web chat client address an hour, and
    // how many different chats may look one person up in a day, whatever the outcome. Above the alert volume
    // city-wide in a minute, the audit log and /metrics are told; nobody is refused for it.
    IDENTITY_LOOKUPS_PER_CHAT: wholeNumber(1, 1000, DEFAULT_IDENTITY_LIMITS.perChatHour),
    IDENTITY_LOOKUPS_PER_ADDRESS: wholeNumber(1, 100_000, DEFAULT_IDENTITY_LIMITS.perAddressHour),
    IDENTITY_CHATS_PER_MEMBER: wholeNumber(1, 10_000, DEFAULT_IDENTITY_LIMITS.chatsPerMemberDay),
    IDENTITY_ALERT_PER_MINUTE: wholeNumber(1, 1_000_000, DEFAULT_IDENTITY_LIMITS.alertPerMinute),
    // Whether the service sits behind a reverse proxy that sets X-Forwarded-For: only then is that header
    // the client's address. Trusting it without a proxy would let anyone choose their own address.
    TRUST_PROXY: bool.default(false),
    // How long chat history is kept before the purge job deletes it (UU 27/2022: no longer than needed).
    MESSAGE_RETENTION_MONTHS: wholeNumber(1, 120, 12),
    // Public routes, per client address (as TRUST_PROXY reads it) and per process: see PublicLimits above.
    WEBCHAT_NEW_CHATS_PER_ADDRESS: wholeNumber(1, 1_000_000, DEFAULT_PUBLIC_LIMITS.newChatsPerAddressHour),
    PUBLIC_POSTS_PER_ADDRESS: wholeNumber(1, 1_000_000, DEFAULT_PUBLIC_LIMITS.postsPerAddressMinute),
    LIVE_STREAMS_PER_ADDRESS: wholeNumber(1, 100_000, DEFAULT_PUBLIC_LIMITS.streamsPerAddress),
    LIVE_STREAMS_PER_SESSION: wholeNumber(1, 1000, DEFAULT_PUBLIC_LIMITS.streamsPerSession),
    // Long enough for a 16 KB message or a form over a poor mobile connection; a client that trickles a body
    // slower than this holds a connection for nothing. The registry import's upload has its own hour.
    REQUEST_BODY_TIMEOUT_MS: wholeNumber(1000, 600_000, DEFAULT_PUBLIC_LIMITS.bodyTimeoutMs),
    // A web chat nobody links, complains from or writes in for this long is deleted (the cookie lives 30 days).
    WEBCHAT_IDLE_DAYS: wholeNumber(1, 3650, 30),
    // Someone in danger now (an urgent PPKS report): hours, not working days, to verify it and, once verified,
    // to answer it. Out of office hours it goes to the officer on the duty roster (services/duty).
    PPKS_URGENT_HOURS: wholeNumber(1, 72, DEFAULT_PPKS_URGENT_HOURS),
    // The IKM the dashboard and the monthly report measure every service against (services/satisfaction).
    IKM_TARGET: z.coerce.number({ error: 'must be a number from 0 to 100' }).min(0, 'must be a number from 0 to 100').max(100, 'must be a number from 0 to 100').default(DEFAULT_IKM_TARGET),
    METRICS_TOKEN: z
      .string()
      .min(24, 'must be at least 24 characters')
      .max(256, 'must be at most 256 characters')
      .regex(/^[A-Za-z0-9._~+/=-]+$/, 'must be letters, digits or . _ ~ + / = - (no spaces)')
      .optional(),
  })
  .superRefine((c, ctx) => {
    const mode = c.TELEGRAM_MODE ?? (c.TELEGRAM_WEBHOOK_SECRET ? 'webhook' : 'polling');
    if (c.TELEGRAM_BOT_TOKEN && mode === 'webhook' && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'is required when TELEGRAM_MODE=webhook' });
    }
    if (c.TELEGRAM_MODE && !c.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'is required when TELEGRAM_MODE is set' });
    }
    const cloud = [
      'WHATSAPP_CLOUD_ACCESS_TOKEN',
      'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
      'WHATSAPP_CLOUD_APP_SECRET',
      'WHATSAPP_CLOUD_VERIFY_TOKEN',
    ] as const;
    if (c.WHATSAPP_WEB_MAX_INTERVAL_MS < c.WHATSAPP_WEB_MIN_INTERVAL_MS) {
      ctx.addIssue({ code: 'custom', path: ['WHATSAPP_WEB_MAX_INTERVAL_MS'], message: 'must not be below WHATSAPP_WEB_MIN_INTERVAL_MS' });
    }
    if (cloud.some((k) => c[k])) {
      for (const k of cloud) {
        if (!c[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'is required when any WHATSAPP_CLOUD_* setting is set' });
      }
    }
  });

type Raw = z.infer<typeof schema>;

export interface Config {
  port: number;
  host: string;
  database: { url?: string; poolSize: number };
  dataDir: string;
  timezone: string;
  defaultLocale: Locale;
  logLevel: Raw['LOG_LEVEL'];
  seedDemo: 'auto' | 'true' | 'false';
  outboxPollMs: number;
  /** OUTBOX_CLAIM_TTL_MS: after this a row left `sending` by a process that died is settled as interrupted. */
  outboxClaimTtlMs: number;
  /** METRICS_TOKEN: lets a scraper elsewhere read /metrics (loopback needs none). */
  metricsToken?: string;
  /** IDENTITY_LOOKUPS_PER_CHAT, _PER_ADDRESS, IDENTITY_CHATS_PER_MEMBER, IDENTITY_ALERT_PER_MINUTE. */
  identityLimits: IdentityLimits;
  /** TRUST_PROXY: read the client address from X-Forwarded-For (set by our own reverse proxy). */
  trustProxy: boolean;
  /** MESSAGE_RETENTION_MONTHS: chat history older than this is purged. */
  messageRetentionMonths: number;
  /** WEBCHAT_NEW_CHATS_PER_ADDRESS, PUBLIC_POSTS_PER_ADDRESS, LIVE_STREAMS_PER_*, REQUEST_BODY_TIMEOUT_MS. */
  publicLimits: PublicLimits;
  /** WEBCHAT_IDLE_DAYS: an unlinked web chat idle this long is purged with its history. */
  webchatIdleDays: number;
  /** PPKS_URGENT_HOURS: an urgent report's deadlines (verify, then answer), in hours. */
  ppksUrgentHours: number;
  /** IKM_TARGET: the satisfaction index (0–100) every service is measured against. */
  ikmTarget: number;
  telegram?: { token: string; mode: 'polling' | 'webhook'; webhookSecret?: string; apiRoot: string; ratePerSecond: number };
  whatsappWeb?: { chromiumPath: string; minIntervalMs: number; maxIntervalMs: number };
  whatsappCloud?: {
    accessToken: string;
    phoneNumberId: string;
    appSecret: string;
    verifyToken: string;
    apiRoot: string;
    ratePerSecond: number;
    /** WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID: where message templates are synced from; undefined: no sync. */
    businessAccountId?: string;
    /** WHATSAPP_CLOUD_DAILY_NEW_CONVERSATIONS; absent in hand-made test configs: 1,000, the setting's default. */
    dailyNewConversations?: number;
    templates: { language: string; notice: string; invitation: string; reminder: string; code: string };
  };
}

export class ConfigError extends Error {}

/** Reads settings from `env`; throws ConfigError whose message is one line naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (`PORT=`) means "not set", as shells and .env files usually intend.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'configuration');
    throw new ConfigError(`Invalid setting ${name}: ${issue.message}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    database: { url: c.DATABASE_URL, poolSize: c.DATABASE_POOL_SIZE },
    dataDir: c.DATA_DIR,
    timezone: c.APP_TIMEZONE,
    defaultLocale: c.DEFAULT_LOCALE,
    logLevel: c.LOG_LEVEL,
    seedDemo: c.SEED_DEMO,
    outboxPollMs: c.OUTBOX_POLL_MS,
    outboxClaimTtlMs: c.OUTBOX_CLAIM_TTL_MS,
    metricsToken: c.METRICS_TOKEN,
    identityLimits: {
      perChatHour: c.IDENTITY_LOOKUPS_PER_CHAT,
      perAddressHour: c.IDENTITY_LOOKUPS_PER_ADDRESS,
      chatsPerMemberDay: c.IDENTITY_CHATS_PER_MEMBER,
      alertPerMinute: c.IDENTITY_ALERT_PER_MINUTE,
    },
    trustProxy: c.TRUST_PROXY,
    messageRetentionMonths: c.MESSAGE_RETENTION_MONTHS,
    publicLimits: {
      newChatsPerAddressHour: c.WEBCHAT_NEW_CHATS_PER_ADDRESS,
      postsPerAddressMinute: c.PUBLIC_POSTS_PER_ADDRESS,
      streamsPerAddress: c.LIVE_STREAMS_PER_ADDRESS,
      streamsPerSession: c.LIVE_STREAMS_PER_SESSION,
      bodyTimeoutMs: c.REQUEST_BODY_TIMEOUT_MS,
    },
    webchatIdleDays: c.WEBCHAT_IDLE_DAYS,
    ppksUrgentHours: c.PPKS_URGENT_HOURS,
    ikmTarget: c.IKM_TARGET,
    telegram: c.TELEGRAM_BOT_TOKEN
      ? {
          token: c.TELEGRAM_BOT_TOKEN,
          mode: c.TELEGRAM_MODE ?? (c.TELEGRAM_WEBHOOK_SECRET ? 'webhook' : 'polling'),
          webhookSecret: c.TELEGRAM_WEBHOOK_SECRET,
          apiRoot: c.TELEGRAM_API_ROOT,
          ratePerSecond: c.TELEGRAM_RATE_PER_SECOND,
        }
      : undefined,
    whatsappWeb: c.WHATSAPP_WEB_ENABLED
      ? { chromiumPath: c.CHROMIUM_PATH, minIntervalMs: c.WHATSAPP_WEB_MIN_INTERVAL_MS, maxIntervalMs: c.WHATSAPP_WEB_MAX_INTERVAL_MS }
      : undefined,
    whatsappCloud: c.WHATSAPP_CLOUD_ACCESS_TOKEN
      ? {
          accessToken: c.WHATSAPP_CLOUD_ACCESS_TOKEN,
          phoneNumberId: c.WHATSAPP_CLOUD_PHONE_NUMBER_ID!,
          appSecret: c.WHATSAPP_CLOUD_APP_SECRET!,
          verifyToken: c.WHATSAPP_CLOUD_VERIFY_TOKEN!,
          apiRoot: c.WHATSAPP_CLOUD_API_ROOT,
          ratePerSecond: c.WHATSAPP_CLOUD_RATE_PER_SECOND,
          ...(c.WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID ? { businessAccountId: c.WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID } : {}),
          dailyNewConversations: c.WHATSAPP_CLOUD_DAILY_NEW_CONVERSATIONS,
          templates: {
            language: c.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE,
            notice: c.WHATSAPP_CLOUD_TEMPLATE_NOTICE,
            invitation: c.WHATSAPP_CLOUD_TEMPLATE_INVITATION,
            reminder: c.WHATSAPP_CLOUD_TEMPLATE_REMINDER,
            code: c.WHATSAPP_CLOUD_TEMPLATE_CODE,
          },
        }
      : undefined,
  };
}
