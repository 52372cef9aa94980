import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboundMetrics } from '../outbox/sender.ts';
import type { Database } from '../db/client.ts';
import { CHANNELS, COMPLAINT_STATUSES, type Channel } from '../domain/vocabulary.ts';
import type { Logger } from '../log.ts';
import { complaintCounts, identityVolume, outboxDepth, outboxOldestAge } from './gauges.ts';
import { classifySend } from './reasons.ts';

export type InboundOutcome = 'handled' | 'duplicate' | 'error';

/** What the conversation engine reports: every resident message, whatever its channel, passes through it. */
export interface InboundMetrics {
  inbound(channel: Channel, outcome: InboundOutcome): void;
}


export interface Metrics extends InboundMetrics, OutboundMetrics {
  readonly registry: Registry;
  /** The Prometheus text format's content type. */
  readonly contentType: string;
  /** METRICS_TOKEN: with it, /metrics also answers a scraper that is not on this machine. */
  readonly token?: string;
  /** One HTTP request answered; `route` is the matched pattern (`/api/complaints/:id`), never the raw path. */
  request(method: string, route: string, status: number, seconds: number): void;
  /** Everything in the Prometheus text format; the database gauges are read now. */
  render(): Promise<string>;
}

const OUTBOX_WAITING = ['pending', 'sending'] as const;
const QUERIES = ['outbox_depth', 'outbox_age', 'complaints', 'identity_volume'] as const;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The metrics of one app instance, in a registry of its own: never prom-client's global default registry,
 * because tests build many apps in one process and a shared registry would mix or refuse their metrics.
 * Label values come only from fixed sets (channels, statuses, route patterns), never from ids or free text.
 */
export function createMetrics(opts: { database: Database; logger: Logger; clock?: () => Date; token?: string }): Metrics {
  const { database, logger } = opts;
  const clock = opts.clock ?? (() => new Date());
  const registry = new Registry();

  const inbound = new Counter({
    name: 'pintu_inbound_messages_total',
    help: 'Messages received from residents, by channel and outcome (handled, duplicate delivery ignored, error before handling).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const outbound = new Counter({
    name: 'pintu_outbound_messages_total',
    help: 'Outbox sends settled by the dispatcher, by channel, result (sent, retry, failed) and a coarse reason.',
    labelNames: ['channel', 'result', 'reason'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'pintu_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, matched route pattern and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers: [registry],
  });
  for (const channel of CHANNELS) {
    // Present from the first scrape, so rate() sees the first message rather than a series appearing at 1.
    for (const outcome of ['handled', 'duplicate', 'error'] as const) inbound.inc({ channel, outcome }, 0);
    outbound.inc({ channel, result: 'sent', reason: 'none' }, 0);
  }

  // Database gauges are computed at scrape time. A failing query is logged and counted, and leaves its
  // gauge empty (rather than stale) without failing the scrape of everything else.
  let inflight: Promise<void>[] = [];
  const scrapeErrors = new Counter({
    name: 'pintu_scrape_errors_total',
    help: 'Database queries behind /metrics gauges that failed during a scrape, by query.',
    labelNames: ['query'] as const,
    registers: [], // registered below, after the gauges
    // Registered last: prom-client starts every metric's collect at once, in registration order, so by
    // the time this runs the gauges' queries are under way and it can wait for them to count failures.
    collect: async () => {
      const waiting = inflight;
      inflight = [];
      await Promise.all(waiting);
    },
  });
  const fromDatabase = (query: (typeof QUERIES)[number], gauge: { reset(): void }, fill: () => Promise<void>) => {
    const run = fill().catch((err: unknown) => {
      gauge.reset();
      scrapeErrors.inc({ query });
      logger.warn({ err, query }, 'metrics query failed');
    });
    inflight.push(run);
    return run;
  };

  new Gauge({
    name: 'pintu_outbox_messages',
    help: 'Outbox messages waiting to be sent (pending) or being sent (sending), by channel.',
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
    collect() {
      return fromDatabase('outbox_depth', this, async () => {
        const rows = await outboxDepth(database);
        this.reset();
        for (const channel of CHANNELS) for (const status of OUTBOX_WAITING) this.set({ channel, status }, 0);
        for (const r of rows) this.set({ channel: r.channel, status: r.status }, r.n);
      });
    },
  });
  new Gauge({
    name: 'pintu_outbox_oldest_pending_age_seconds',
    help: 'Seconds the longest-waiting due outbox message of each channel has waited (since queued or due, whichever is later); 0 when none waits.',
    labelNames: ['channel'] as const,
    registers: [registry],
    collect() {
      return fromDatabase('outbox_age', this, async () => {
        const rows = await outboxOldestAge(database, clock());
        this.reset();
        for (const channel of CHANNELS) this.set({ channel }, 0);
        for (const r of rows) this.set({ channel: r.channel }, r.seconds);
      });
    },
  });
  new Gauge({
    name: 'pintu_complaints',
    help: 'Complaints by status.',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      return fromDatabase('complaints', this, async () => {
        const rows = await complaintCounts(database);
        this.reset();
        for (const status of COMPLAINT_STATUSES) this.set({ status }, 0);
        for (const r of rows) this.set({ status: r.status }, r.n);
      });
    },
  });
  // Both numbers come from one query; the second gauge reads what the first one's scrape fetched.
  let volume: Promise<{ lastMinute: number; alertsLastDay: number }> | undefined;
  new Gauge({
    name: 'pintu_identity_lookups_this_minute',
    help: 'Identity checks (NIK, KK, birth date) city-wide in the current minute.',
    registers: [registry],
    collect() {
      volume = identityVolume(database, clock());
      return fromDatabase('identity_volume', this, async () => {
        this.set((await volume!).lastMinute);
      });
    },
  });
  new Gauge({
    name: 'pintu_identity_volume_alerts_last_day',
    help: 'Minutes in the last 24 hours in which identity checks went over IDENTITY_ALERT_PER_MINUTE (audit action identity.volume).',
    registers: [registry],
    async collect() {
      try {
        this.set((await volume)?.alertsLastDay ?? 0);
      } catch {
        this.reset(); // counted once by the gauge above
      }
    },
  });
  registry.registerMetric(scrapeErrors);
  for (const query of QUERIES) scrapeErrors.inc({ query }, 0);

  return {
    registry,
    contentType: registry.contentType,
    token: opts.token,
    inbound(channel, outcome) {
      inbound.inc({ channel, outcome });
    },
    outbound(channel, result, exhausted) {
      outbound.inc({ channel, ...classifySend(result, exhausted) });
    },
    request(method, route, status, seconds) {
      const m = method.toUpperCase();
      latency.observe({ method: METHODS.has(m) ? m : 'OTHER', route: route || 'unmatched', status_class: `${Math.floor(status / 100)}xx` }, seconds);
    },
    render: () => registry.metrics(),
  };
}
