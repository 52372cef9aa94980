import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const BAD: Array<[Record<string, string>, string]> = [
  [{ PORT: 'abc' }, 'Invalid setting PORT: must be a whole number from 1 to 65535'],
  [{ PORT: '70000' }, 'Invalid setting PORT: must be a whole number from 1 to 65535'],
  [{ DATABASE_URL: 'mysql://localhost/x' }, 'Invalid setting DATABASE_URL: must be a postgres:// or postgresql:// URL'],
  [{ APP_TIMEZONE: 'Mars/Olympus' }, 'Invalid setting APP_TIMEZONE: must be an IANA time zone such as Asia/Jakarta'],
  [{ DEFAULT_LOCALE: 'fr' }, 'Invalid setting DEFAULT_LOCALE: must be one of id, en'],
  [{ LOG_LEVEL: 'loud' }, 'Invalid setting LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent'],
  [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'Invalid setting TELEGRAM_BOT_TOKEN: must look like 123456:ABC... as given by @BotFather'],
  [{ TELEGRAM_MODE: 'carrier-pigeon' }, 'Invalid setting TELEGRAM_MODE: must be polling or webhook'],
  [{ TELEGRAM_MODE: 'polling' }, 'Invalid setting TELEGRAM_BOT_TOKEN: is required when TELEGRAM_MODE is set'],
  [
    { TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_MODE: 'webhook' },
    'Invalid setting TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_MODE=webhook',
  ],
  [{ TELEGRAM_API_ROOT: 'ftp://example.org' }, 'Invalid setting TELEGRAM_API_ROOT: must be an http(s) URL (Telegram Bot API)'],
  [{ WHATSAPP_WEB_ENABLED: 'maybe' }, 'Invalid setting WHATSAPP_WEB_ENABLED: must be true or false'],
  [{ WHATSAPP_CLOUD_ACCESS_TOKEN: 'abc' }, 'Invalid setting WHATSAPP_CLOUD_PHONE_NUMBER_ID: is required when any WHATSAPP_CLOUD_* setting is set'],
  [{ WHATSAPP_CLOUD_PHONE_NUMBER_ID: 'abc' }, 'Invalid setting WHATSAPP_CLOUD_PHONE_NUMBER_ID: must be the numeric phone number id'],
  [{ WHATSAPP_CLOUD_API_ROOT: 'graph' }, 'Invalid setting WHATSAPP_CLOUD_API_ROOT: must be an http(s) URL (Graph API)'],
  [{ SEED_DEMO: 'sometimes' }, 'Invalid setting SEED_DEMO: must be auto, true or false'],
  [{ TELEGRAM_RATE_PER_SECOND: '0' }, 'Invalid setting TELEGRAM_RATE_PER_SECOND: must be more than 0'],
  [{ WHATSAPP_CLOUD_RATE_PER_SECOND: 'fast' }, 'Invalid setting WHATSAPP_CLOUD_RATE_PER_SECOND: must be a number of messages per second'],
  [{ WHATSAPP_WEB_MIN_INTERVAL_MS: '5000' }, 'Invalid setting WHATSAPP_WEB_MAX_INTERVAL_MS: must not be below WHATSAPP_WEB_MIN_INTERVAL_MS'],
  [{ WHATSAPP_CLOUD_TEMPLATE_NOTICE: 'Pintu Notice' }, 'Invalid setting WHATSAPP_CLOUD_TEMPLATE_NOTICE: must be a WhatsApp template name (lowercase letters, digits, _)'],
  [{ OUTBOX_POLL_MS: '1' }, 'Invalid setting OUTBOX_POLL_MS: must be at least 10'],
  [{ OUTBOX_CLAIM_TTL_MS: '5000' }, 'Invalid setting OUTBOX_CLAIM_TTL_MS: must be at least 35000 (longer than a send may take)'],
];

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      dataDir: './data',
      timezone: 'Asia/Jakarta',
      defaultLocale: 'id',
      logLevel: 'info',
      database: { url: undefined },
    });
    expect(c.telegram).toBeUndefined();
    expect(c.whatsappWeb).toBeUndefined();
    expect(c.whatsappCloud).toBeUndefined();
  });

  it('switches channels on when their settings are present', () => {
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_SECRET: 'a-long-enough-secret',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9999/',
      WHATSAPP_WEB_ENABLED: 'true',
      WHATSAPP_CLOUD_ACCESS_TOKEN: 'token',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
      WHATSAPP_CLOUD_APP_SECRET: 'secret',
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'verify',
    });
    expect(c.telegram).toEqual({
      token: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      mode: 'webhook', // a secret without an explicit mode means webhook
      webhookSecret: 'a-long-enough-secret',
      apiRoot: 'http://127.0.0.1:9999',
      ratePerSecond: 30,
    });
    expect(c.whatsappWeb).toEqual({ chromiumPath: '/usr/bin/chromium', minIntervalMs: 2000, maxIntervalMs: 4000 });
    expect(c.whatsappCloud?.templates).toEqual({ language: 'id', notice: 'pintu_pemberitahuan', invitation: 'pintu_undangan', reminder: 'pintu_pengingat', code: 'pintu_kode' });
    expect(c.whatsappCloud?.ratePerSecond).toBe(80);
    expect(c.whatsappCloud?.phoneNumberId).toBe('1234567890');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it.each(BAD)('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});

describe('start-up with a bad setting', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ APP_TIMEZONE: 'Nowhere/Land' }, 'APP_TIMEZONE'],
  ])('%j stops the process with one line on stderr and exit 1', (env, variable) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^pintu: Invalid setting ${variable}: `));
    expect(r.stdout).toBe('');
  });
});

describe('identity and privacy settings', () => {
  it('reads the lookup limits, TRUST_PROXY and the retention, with their defaults', () => {
    const d = loadConfig({});
    expect(d.identityLimits).toEqual({ perChatHour: 10, perAddressHour: 20, chatsPerMemberDay: 3, alertPerMinute: 120 });
    expect(d.trustProxy).toBe(false);
    expect(d.messageRetentionMonths).toBe(12);
    const c = loadConfig({ IDENTITY_LOOKUPS_PER_CHAT: '5', IDENTITY_LOOKUPS_PER_ADDRESS: '50', IDENTITY_CHATS_PER_MEMBER: '2', IDENTITY_ALERT_PER_MINUTE: '1000', TRUST_PROXY: 'true', MESSAGE_RETENTION_MONTHS: '6' });
    expect(c.identityLimits).toEqual({ perChatHour: 5, perAddressHour: 50, chatsPerMemberDay: 2, alertPerMinute: 1000 });
    expect(c.trustProxy).toBe(true);
    expect(c.messageRetentionMonths).toBe(6);
  });

  it.each([
    ['IDENTITY_LOOKUPS_PER_CHAT', '0'],
    ['IDENTITY_LOOKUPS_PER_ADDRESS', 'many'],
    ['IDENTITY_CHATS_PER_MEMBER', '1.5'],
    ['MESSAGE_RETENTION_MONTHS', '0'],
    ['TRUST_PROXY', 'maybe'],
  ])('refuses %s=%s with one line naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid setting ${name}: `));
  });
});

describe('public route limits', () => {
  it('reads the limits per address and session, the body deadline and the web chat purge, with their defaults', () => {
    const d = loadConfig({});
    expect(d.publicLimits).toEqual({ newChatsPerAddressHour: 60, postsPerAddressMinute: 120, streamsPerAddress: 50, streamsPerSession: 5, bodyTimeoutMs: 15_000 });
    expect(d.webchatIdleDays).toBe(30);
    const c = loadConfig({
      WEBCHAT_NEW_CHATS_PER_ADDRESS: '10',
      PUBLIC_POSTS_PER_ADDRESS: '600',
      LIVE_STREAMS_PER_ADDRESS: '200',
      LIVE_STREAMS_PER_SESSION: '3',
      REQUEST_BODY_TIMEOUT_MS: '30000',
      WEBCHAT_IDLE_DAYS: '90',
    });
    expect(c.publicLimits).toEqual({ newChatsPerAddressHour: 10, postsPerAddressMinute: 600, streamsPerAddress: 200, streamsPerSession: 3, bodyTimeoutMs: 30_000 });
    expect(c.webchatIdleDays).toBe(90);
  });

  it.each([
    ['WEBCHAT_NEW_CHATS_PER_ADDRESS', '0'],
    ['PUBLIC_POSTS_PER_ADDRESS', 'lots'],
    ['LIVE_STREAMS_PER_ADDRESS', '-1'],
    ['LIVE_STREAMS_PER_SESSION', '2.5'],
    ['REQUEST_BODY_TIMEOUT_MS', '500'],
    ['REQUEST_BODY_TIMEOUT_MS', '3600000'],
    ['WEBCHAT_IDLE_DAYS', '0'],
  ])('refuses %s=%s with one line naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid setting ${name}: `));
  });
});

describe('urgent PPKS reports', () => {
  it('gives urgent reports 4 hours unless PPKS_URGENT_HOURS says otherwise', () => {
    expect(loadConfig({}).ppksUrgentHours).toBe(4);
    expect(loadConfig({ PPKS_URGENT_HOURS: '1' }).ppksUrgentHours).toBe(1);
    expect(loadConfig({ PPKS_URGENT_HOURS: '72' }).ppksUrgentHours).toBe(72);
  });

  it.each(['0', '73', 'x', '2.5'])('refuses PPKS_URGENT_HOURS=%s with one line naming it', (value) => {
    expect(() => loadConfig({ PPKS_URGENT_HOURS: value })).toThrow('Invalid setting PPKS_URGENT_HOURS: must be a whole number from 1 to 72');
  });
});
