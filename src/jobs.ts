import type { Database } from './db/client.ts';
import type { Logger } from './log.ts';
import { autoCloseDue } from './services/complaint-lifecycle.ts';
import { purgeExpiredSessions } from './services/staff-sessions.ts';

const EVERY_MS = 5 * 60_000;

/**
 * Housekeeping every process runs: complaints answered 10 working days ago with no reply are closed (and
 * the resident asked for a rating), expired staff sessions are removed. Both are safe to run in several
 * processes at once (row locks with SKIP LOCKED; deleting what is already expired).
 */
export function startJobs(database: Database, logger: Logger, everyMs = EVERY_MS): { stop(): void } {
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
  return { stop: () => clearInterval(timer) };
}
