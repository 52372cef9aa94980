import { listMetaTemplates } from '../channels/whatsapp-cloud/templates.ts';
import type { WhatsappCloudConfig } from '../channels/whatsapp-cloud/sender.ts';
import type { Database } from '../db/client.ts';
import type { TemplateSync, TemplateSyncResult } from '../http/context.ts';
import type { Logger } from '../log.ts';
import { saveTemplates } from '../services/outreach/templates.ts';

// The office's WhatsApp templates, kept as Meta last reported them: read from the Graph API (channels) and
// stored (services) at start-up, every 6 hours, and when staff press "Sinkronkan sekarang" on the templates
// page. Templates change rarely and only by someone at Meta's WhatsApp Manager; 6 hours is soon enough for a
// status Meta changed by itself (paused, disabled) and staff who just got one approved press the button.
// The last result is this process's own: with several processes, the page shows the one that answered it.

export const TEMPLATE_SYNC_EVERY_MS = 6 * 3_600_000;

export interface TemplateSyncJob extends TemplateSync {
  /** Syncs now and every `everyMs` while the account id is set; stop() ends it. */
  schedule(everyMs?: number): { stop(): void };
}

export function createTemplateSync(database: Database, config: WhatsappCloudConfig, logger: Logger, clock: () => Date = () => new Date()): TemplateSyncJob {
  let last: TemplateSyncResult | undefined;
  let running: Promise<TemplateSyncResult> | undefined;

  async function run(): Promise<TemplateSyncResult> {
    const listed = await listMetaTemplates(config);
    if (!listed.ok) {
      // The reason is ours or Meta's about the account and token: no resident's data in it.
      logger.warn({ channel: 'whatsapp_cloud', kind: listed.kind, reason: listed.error }, 'WhatsApp template sync failed; will try again');
      return { ok: false, at: clock(), error: listed.error };
    }
    try {
      const at = clock();
      const r = await saveTemplates(database.db, listed.templates, at);
      logger.info({ channel: 'whatsapp_cloud', saved: r.saved, deleted: r.deleted, skipped: listed.skipped }, 'WhatsApp templates synced');
      return { ok: true, at, saved: r.saved, deleted: r.deleted, skipped: listed.skipped };
    } catch (err) {
      logger.warn({ channel: 'whatsapp_cloud', err: err instanceof Error ? err.name : 'error' }, 'WhatsApp templates could not be stored; will try again');
      return { ok: false, at: clock(), error: 'database: the templates could not be stored' };
    }
  }

  const job: TemplateSyncJob = {
    language: config.templates.language,
    defaults: { invitation: config.templates.invitation, reminder: config.templates.reminder, notice: config.templates.notice },
    canSync: !!config.businessAccountId,
    sync() {
      if (!config.businessAccountId) {
        last = { ok: false, at: clock(), error: 'WHATSAPP_CLOUD_BUSINESS_ACCOUNT_ID is not set' };
        return Promise.resolve(last);
      }
      // A press of the button while the timer's sync runs waits for that one instead of starting a second.
      running ??= run()
        .then((r) => (last = r))
        .finally(() => (running = undefined));
      return running;
    },
    last: () => last,
    schedule(everyMs = TEMPLATE_SYNC_EVERY_MS) {
      if (!config.businessAccountId) return { stop() {} };
      const timer = setInterval(() => void job.sync(), everyMs);
      timer.unref();
      void job.sync();
      return { stop: () => clearInterval(timer) };
    },
  };
  return job;
}
