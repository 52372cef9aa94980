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
import { syncFieldTasks } from '../services/field/index.ts';
import { sendDueBroadcasts } from '../services/broadcasts/send.ts';
import { purgeExpired } from '../services/rights/purge.ts';
import { purgeIdleWebchats } from '../services/rights/idle-webchats.ts';
import { tellUntoldFamilies } from '../services/disbursements/tell-family.ts';
import { generateDueMonthlyReport } from '../services/reports/monthly/generate.ts';

const EVERY_MS = 5 * 60_000;
// Reminders are due at 09:00 and 06:30 sharp: a minute late is fine, five is not.
const REMINDERS_EVERY_MS = 60_000;
// Residents' photos are fetched soon after the complaint, while the provider still has them.
const ATTACHMENTS_EVERY_MS = 15_000;
// The data-quality scan reads the whole registry (seconds on a million people): four times a day is enough.
const QUALITY_SCAN_EVERY_MS = 6 * 3_600_000;
// What the purge removes is at least a day past its use: once an hour keeps each run's batches few.
const PURGE_EVERY_MS = 3_600_000;
// The monthly report is due on the first working day of a month: an hourly look finds that day early enough.
const MONTHLY_REPORT_EVERY_MS = 3_600_000;

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
  const now = () => (reminders.clock ?? (() => new Date()))();
  const timers: NodeJS.Timeout[] = [];
  /**
   * Runs `work` now and every `ms`, never two rounds of it at once; a failure is logged as `failed` and the
   * next round tries again (nothing a job does is lost by a failed round: each works from the database).
   */
  const repeat = (ms: number, failed: string, work: () => Promise<void>) => {
    let busy = false;
    const round = async () => {
      if (busy) return;
      busy = true;
      try {
        await work();
      } catch (err) {
        logger.warn({ err }, failed);
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(round, ms);
    timer.unref();
    timers.push(timer);
    void round();
  };

  repeat(everyMs, 'housekeeping failed; will try again', async () => {
    const closed = await autoCloseDue(database.db, new Date());
    if (closed > 0) logger.info({ closed }, 'auto-closed answered complaints');
    await purgeExpiredSessions(database.db);
  });
  // Distribution reminders (H-3, H-1, H0), every minute; quiet hours are the job's own rule.
  repeat(Math.min(everyMs, REMINDERS_EVERY_MS), 'distribution reminders failed; will try again', async () => {
    const r = await fireDueReminders(database.db, { ...reminders, now: now() });
    if (r.sent > 0) {
      logger.info({ sent: r.sent, skipped: r.skipped }, 'distribution reminders queued');
      reminders.onQueued?.();
    }
  });
  // Broadcasts scheduled for now or earlier, every minute; quiet hours hold their outbox rows till 06:00.
  repeat(Math.min(everyMs, REMINDERS_EVERY_MS), 'broadcasts failed; will try again', async () => {
    const r = await sendDueBroadcasts(database.db, { ...reminders, now: now() });
    if (r.broadcasts > 0) {
      logger.info(r, 'broadcasts queued');
      reminders.onQueued?.();
    }
  });
  // Residents waiting long for an officer are offered to make the wait a report (services/handover-desk/offer.ts).
  repeat(Math.min(everyMs, REMINDERS_EVERY_MS), 'offering long waits as reports failed; will try again', async () => {
    const i18n = await translatorOf(reminders);
    const r = await offerReportsToWaitingChats(database.db, { now: now(), timeZone: zoneOf(reminders), i18n, ...(reminders.defaultLocale ? { defaultLocale: reminders.defaultLocale } : {}) });
    if (r.offered > 0) {
      logger.info(r, 'long waits for an officer offered as reports');
      reminders.onQueued?.();
    }
  });
  // Families of a failed transfer who could not be told at import (no chat then, or the import's telling cut
  // short): told once their chat is linked (services/disbursements/tell-family.ts).
  repeat(everyMs, 'telling families of failed transfers failed; will try again', async () => {
    const i18n = await translatorOf(reminders);
    const r = await tellUntoldFamilies(database.db, { now: now(), timeZone: zoneOf(reminders), i18n, defaultLocale: reminders.defaultLocale ?? 'id' });
    if (r.notified > 0) {
      logger.info(r, 'families of failed transfers told');
      reminders.onQueued?.();
    }
  });
  // Complaint photos: fetched from the channel's provider and stored (services/complaints/attachments.ts).
  repeat(Math.min(everyMs, ATTACHMENTS_EVERY_MS), 'attachment fetch failed; will try again', async () => {
    if (mediaFetchers.length === 0) return;
    const r = await fetchDueAttachments(database.db, mediaFetchers, { now: now() });
    if (r.stored + r.retrying + r.failed > 0) logger.info(r, 'attachments fetched');
  });
  // Data-quality findings (services/registry/quality/scan.ts); one process at a time by its own advisory lock.
  repeat(QUALITY_SCAN_EVERY_MS, 'data-quality scan failed; will try again', async () => {
    const r = await scanFindings(database.db, { now: now() });
    if (!r.skipped) logger.info({ byKind: r.byKind }, 'data-quality scan done');
    // Findings a visit can settle become field tasks (services/field/sync.ts); several processes may run it.
    const tasks = await syncFieldTasks(database.db, { now: now(), timeZone: zoneOf(reminders) });
    if (tasks.created + tasks.cancelled > 0) logger.info(tasks, 'field tasks synced');
  });
  // Data not needed any more (services/rights/purge.ts): expired sessions and codes, old history and counters,
  // and web chats nobody uses.
  repeat(Math.max(everyMs, PURGE_EVERY_MS), 'purge failed; will try again', async () => {
    const at = now();
    const r = await purgeExpired(database.db, { now: at, retentionMonths: retention.messageMonths, timeZone: zoneOf(reminders) });
    if (Object.values(r).some((n) => n > 0)) logger.info(r, 'expired data purged');
    // Web chats nobody uses any more (services/rights/idle-webchats.ts), whole.
    const chats = await purgeIdleWebchats(database.db, { now: at, idleDays: retention.webchatIdleDays ?? 30 });
    if (chats.idle + chats.unused > 0) logger.info(chats, 'unused web chats purged');
  });
  // The past month's report, kept on the first working day (services/reports/monthly/generate.ts); one
  // process generates under an advisory lock, the others find it kept.
  repeat(Math.max(everyMs, MONTHLY_REPORT_EVERY_MS), 'monthly report failed; will try again', async () => {
    const i18n = await translatorOf(reminders);
    const locale = reminders.defaultLocale ?? 'id';
    const r = await generateDueMonthlyReport(database.db, { now: now(), timeZone: zoneOf(reminders), locale, t: i18n.getFixedT(locale) });
    if (r.generated) logger.info({ month: r.generated }, 'monthly report generated');
  });
  return {
    stop: () => {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
