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
    WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'must be a template language code such as id or en_US').default('id'),
    WHATSAPP_CLOUD_TEMPLATE_NOTICE: templateName('pintu_pemberitahuan'),
    WHATSAPP_CLOUD_TEMPLATE_INVITATION: templateName('pintu_undangan'),
    WHATSAPP_CLOUD_TEMPLATE_REMINDER: templateName('pintu_pengingat'),

    OUTBOX_POLL_MS: z.coerce.number().int('must be a whole number').min(10, 'must be at least 10').max(60_000).default(250),
    // Longer than the slowest send may take (the Telegram client gives up after 30 s, the Cloud one after 20 s),
    // or a live send could be taken for an interrupted one.
    OUTBOX_CLAIM_TTL_MS: z.coerce.number().int('must be a whole number').min(35_000, 'must be at least 35000 (longer than a send may take)').max(3_600_000).default(120_000),
    // Failed identity lookups (NIK not found, NIK and birth date not matching) from all chats in a minute
    // before chats not yet verified are asked to try again later: someone walking through NIKs fails far
    // more often than a city's residents checking themselves.
    IDENTITY_FAILED_LOOKUPS_PER_MINUTE: z.coerce
      .number({ error: 'must be a whole number from 1 to 100000' })
      .int('must be a whole number from 1 to 100000')
      .min(1, 'must be a whole number from 1 to 100000')
      .max(100_000, 'must be a whole number from 1 to 100000')
      .default(120),
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
  /** IDENTITY_FAILED_LOOKUPS_PER_MINUTE: city-wide failed identity lookups a minute before unverified chats wait. */
  identityFailedLookupsPerMinute: number;
  telegram?: { token: string; mode: 'polling' | 'webhook'; webhookSecret?: string; apiRoot: string; ratePerSecond: number };
  whatsappWeb?: { chromiumPath: string; minIntervalMs: number; maxIntervalMs: number };
  whatsappCloud?: {
    accessToken: string;
    phoneNumberId: string;
    appSecret: string;
    verifyToken: string;
    apiRoot: string;
    ratePerSecond: number;
    templates: { language: string; notice: string; invitation: string; reminder: string };
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
    identityFailedLookupsPerMinute: c.IDENTITY_FAILED_LOOKUPS_PER_MINUTE,
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
          templates: {
            language: c.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE,
            notice: c.WHATSAPP_CLOUD_TEMPLATE_NOTICE,
            invitation: c.WHATSAPP_CLOUD_TEMPLATE_INVITATION,
            reminder: c.WHATSAPP_CLOUD_TEMPLATE_REMINDER,
          },
        }
      : undefined,
  };
}
