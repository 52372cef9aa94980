import type { Database } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { autoCloseDue } from '../services/complaints/lifecycle.ts';
import { purgeExpiredSessions } from '../services/staff/sessions.ts';
import type { MediaFetcher } from '../services/complaints/media-fetcher.ts';
import { fetchDueAttachments } from '../services/complaints/attachments.ts';
import { fireDueReminders } from '../services/distribution/reminders.ts';
import { translatorOf, zoneOf, type DistributionOptions } from '../services/distribution/common.ts';
import { offerReportsToWaitingChats } from '../services/handover-desk/offer.ts';
import { scanFindings } from '../services/registry/quality/scan.ts';
import { sendDueBroadcasts } from '../services/broadcasts/send.ts';
import { purgeExpired } from '../services/rights/purge.ts';
import { purgeIdleWebchats } from '../services/rights/idle-webchats.ts';

const EVERY_MS = 5 * 60_000;
// Reminders are due at 09:00 and 06:30 sharp: a minute late is fine, five is not.
const REMINDERS_EVERY_MS = 60_000;
// Residents' photos are fetched soon after the complaint, while the provider still has them.
const ATTACHMENTS_EVERY_MS = 15_000;
// The data-quality scan reads the whole registry (seconds on a million people): four times a day is enough.
const QUALITY_SCAN_EVERY_MS = 6 * 3_600_000;
// What the purge removes is at least a day past its use: once an hour keeps each run's batches few.
const PURGE_EVERY_MS = 3_600_000;

/** How reminders are written: the office's zone and texts (APP_TIMEZONE, DEFAULT_LOCALE). */
export type ReminderSettings = Omit<DistributionOptions, 'now'> & { clock?: () => Date; onQueued?: () => void };

/**
 * Housekeeping every process runs: complaints answered 10 working days ago with no reply are closed (and
 * the resident asked for a rating), expired staff sessions are removed. Both are safe to run in several
 * processes at once (row locks with SKIP LOCKED; deleting what is already expired).
 */
export function startJobs(
  database: Database,
  logger: Logger,
  everyMs = EVERY_MS,
  reminders: ReminderSettings = {},
  mediaFetchers: readonly MediaFetcher[] = [],
  /** MESSAGE_RETENTION_MONTHS: chat history older than this is purged; WEBCHAT_IDLE_DAYS: unused web chats. */
  retention: { messageMonths: number; webchatIdleDays?: number } = { messageMonths: 12 },
): { stop(): void } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const closed = await autoCloseDue(database.db, new Date());
      if (closed > 0) logger.info({ closed }, 'auto-closed answered complaints');
      await purgeExpiredSessions(database.db);
    } catch (err) {
      logger.warn({ err }, 'housekeeping failed; will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  void run();
  // Distribution reminders (H-3, H-1, H0), every minute; quiet hours are the job's own rule.
  let reminding = false;
  const remind = async () => {
    if (reminding) return;
    reminding = true;
    try {
      const r = await fireDueReminders(database.db, { ...reminders, now: (reminders.clock ?? (() => new Date()))() });
      if (r.sent > 0) {
        logger.info({ sent: r.sent, skipped: r.skipped }, 'distribution reminders queued');
        reminders.onQueued?.();
      }
    } catch (err) {
      logger.warn({ err }, 'distribution reminders failed; will try again');
    } finally {
      reminding = false;
    }
  };
  const reminderTimer = setInterval(remind, Math.min(everyMs, REMINDERS_EVERY_MS));
  reminderTimer.unref();
  void remind();
  // Broadcasts scheduled for now or earlier, every minute; quiet hours hold their outbox rows till 06:00.
  let broadcasting = false;
  const broadcast = async () => {
    if (broadcasting) return;
    broadcasting = true;
    try {
      const r = await sendDueBroadcasts(database.db, { ...reminders, now: (reminders.clock ?? (() => new Date()))() });
      if (r.broadcasts > 0) {
        logger.info(r, 'broadcasts queued');
        reminders.onQueued?.();
      }
    } catch (err) {
      logger.warn({ err }, 'broadcasts failed; will try again');
    } finally {
      broadcasting = false;
    }
  };
  const broadcastTimer = setInterval(broadcast, Math.min(everyMs, REMINDERS_EVERY_MS));
  broadcastTimer.unref();
  void broadcast();
  // Residents waiting long for an officer are offered to make the wait a report (services/handover-desk/offer.ts).
  let offering = false;
  const offerReports = async () => {
    if (offering) return;
    offering = true;
    try {
      const now = (reminders.clock ?? (() => new Date()))();
      const r = await offerReportsToWaitingChats(database.db, { now, timeZone: zoneOf(reminders), i18n: await translatorOf(reminders), ...(reminders.defaultLocale ? { defaultLocale: reminders.defaultLocale } : {}) });
      if (r.offered > 0) {
        logger.info(r, 'long waits for an officer offered as reports');
        reminders.onQueued?.();
      }
    } catch (err) {
      logger.warn({ err }, 'offering long waits as reports failed; will try again');
    } finally {
      offering = false;
    }
  };
  const offerTimer = setInterval(offerReports, Math.min(everyMs, REMINDERS_EVERY_MS));
  offerTimer.unref();
  void offerReports();
  // Complaint photos: fetched from the channel's provider and stored (services/complaints/attachments.ts).
  let fetching = false;
  const fetchMedia = async () => {
    if (fetching || mediaFetchers.length === 0) return;
    fetching = true;
    try {
      const r = await fetchDueAttachments(database.db, mediaFetchers, { now: (reminders.clock ?? (() => new Date()))() });
      if (r.stored + r.retrying + r.failed > 0) logger.info(r, 'attachments fetched');
    } catch (err) {
      logger.warn({ err }, 'attachment fetch failed; will try again');
    } finally {
      fetching = false;
    }
  };
  const mediaTimer = setInterval(fetchMedia, Math.min(everyMs, ATTACHMENTS_EVERY_MS));
  mediaTimer.unref();
  void fetchMedia();
  // Data-quality findings (services/registry/quality/scan.ts); one process at a time by its own advisory lock.
  let scanning = false;
  const scanQuality = async () => {
    if (scanning) return;
    scanning = true;
    try {
      const r = await scanFindings(database.db, { now: (reminders.clock ?? (() => new Date()))() });
      if (!r.skipped) logger.info({ byKind: r.byKind }, 'data-quality scan done');
    } catch (err) {
      logger.warn({ err }, 'data-quality scan failed; will try again');
    } finally {
      scanning = false;
    }
  };
  const qualityTimer = setInterval(scanQuality, QUALITY_SCAN_EVERY_MS);
  qualityTimer.unref();
  void scanQuality();
  // Data not needed any more (services/rights/purge.ts): expired sessions and codes, old history and counters,
  // and web chats nobody uses.
  let purging = false;
  const purge = async () => {
    if (purging) return;
    purging = true;
    try {
      const now = (reminders.clock ?? (() => new Date()))();
      const r = await purgeExpired(database.db, { now, retentionMonths: retention.messageMonths, timeZone: zoneOf(reminders) });
      if (Object.values(r).some((n) => n > 0)) logger.info(r, 'expired data purged');
      // Web chats nobody uses any more (services/rights/idle-webchats.ts), whole.
      const chats = await purgeIdleWebchats(database.db, { now, idleDays: retention.webchatIdleDays ?? 30 });
      if (chats.idle + chats.unused > 0) logger.info(chats, 'unused web chats purged');
    } catch (err) {
      logger.warn({ err }, 'purge failed; will try again');
    } finally {
      purging = false;
    }
  };
  const purgeTimer = setInterval(purge, Math.max(everyMs, PURGE_EVERY_MS));
  purgeTimer.unref();
  void purge();
  return {
    stop: () => {
      clearInterval(purgeTimer);
      clearInterval(qualityTimer);
      clearInterval(timer);
      clearInterval(reminderTimer);
      clearInterval(broadcastTimer);
      clearInterval(offerTimer);
      clearInterval(mediaTimer);
    },
  };
}
