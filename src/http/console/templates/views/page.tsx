import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { TemplateRow } from '../../../../services/outreach/templates.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import type { TemplateSyncResult } from '../../../context.ts';
import { formatTime, PostButton, Shell } from '../../shell/layout.tsx';

// The WhatsApp templates page: what Meta last said of each of the office's templates (status, parameters, the
// body residents will read, Meta's reason), the settings they are used with, how the last sync went and a
// button to sync now. Without the Cloud API or the Business Account id it says which setting is missing.

export const NS = 'templates';

export interface TemplatesPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  templates: TemplateRow[];
  /** When the stored list was last written (whichever process synced it). */
  storedAt: Date | null;
  /** The settings, when the Cloud API is on; undefined: it is not. */
  settings?: { language: string; defaults: { invitation: string; reminder: string; notice: string }; canSync: boolean };
  last?: TemplateSyncResult;
  /** Just synced by this person: say how it went at the top. */
  justSynced: boolean;
}

/** A status in words and colour: approved in green, everything else plainly not. */
export function statusLabel(t: TFunction, status: string): string {
  return `${t([`${NS}:status.${status}`, `${NS}:status.other`])} (${status})`;
}

export function TemplatesPage({ t, locale, timeZone, session, templates, storedAt, settings, last, justSynced }: TemplatesPageProps) {
  const when = (d: Date) => formatTime(d, locale, timeZone);
  return (
    <Shell t={t} locale={locale} title={t(`${NS}:title`)} session={session} here="/console/templates">
      <h1>{t(`${NS}:title`)}</h1>
      <p class="meta">{t(`${NS}:intro`)}</p>
      {!settings ? (
        <p class="warn" role="status" data-testid="not-configured">
          {t(`${NS}:notConfigured.cloud`)}
        </p>
      ) : !settings.canSync ? (
        <p class="warn" role="status" data-testid="not-configured">
          {t(`${NS}:notConfigured.account`)}
        </p>
      ) : null}
      {justSynced && last ? <SyncResult t={t} last={last} when={when} /> : null}

      {settings ? (
        <section class="card" aria-labelledby="h-settings">
          <h2 id="h-settings">{t(`${NS}:settings.title`)}</h2>
          <dl class="facts">
            <dt>{t(`${NS}:settings.language`)}</dt>
            <dd>{settings.language}</dd>
            <dt>{t(`${NS}:settings.invitation`)}</dt>
            <dd>{settings.defaults.invitation}</dd>
            <dt>{t(`${NS}:settings.reminder`)}</dt>
            <dd>{settings.defaults.reminder}</dd>
            <dt>{t(`${NS}:settings.notice`)}</dt>
            <dd>{settings.defaults.notice}</dd>
          </dl>
          <p class="meta" data-testid="last-sync">
            {last ? t(`${NS}:sync.last`, { when: when(last.at) }) : t(`${NS}:sync.never`)}
            {storedAt ? ` · ${t(`${NS}:sync.lastStored`, { when: when(storedAt) })}` : ''}
          </p>
          {last && !last.ok && !justSynced ? (
            <p class="error" role="alert" data-testid="sync-error">
              {t(`${NS}:sync.failed`, { when: when(last.at), error: last.error })}
            </p>
          ) : null}
          {settings.canSync ? (
            <>
              <p class="meta">{t(`${NS}:sync.help`)}</p>
              <PostButton session={session} action="/console/templates/sync" label={t(`${NS}:sync.button`)} />
            </>
          ) : null}
        </section>
      ) : null}

      <section class="card" aria-labelledby="h-list">
        <h2 id="h-list">{t(`${NS}:title`)}</h2>
        {templates.length === 0 ? (
          <p>{t(`${NS}:empty`)}</p>
        ) : (
          <table data-testid="templates">
            <thead>
              <tr>
                <th scope="col">{t(`${NS}:columns.name`)}</th>
                <th scope="col">{t(`${NS}:columns.language`)}</th>
                <th scope="col">{t(`${NS}:columns.status`)}</th>
                <th scope="col">{t(`${NS}:columns.category`)}</th>
                <th scope="col">{t(`${NS}:columns.parameters`)}</th>
                <th scope="col">{t(`${NS}:columns.body`)}</th>
                <th scope="col">{t(`${NS}:columns.reason`)}</th>
                <th scope="col">{t(`${NS}:columns.syncedAt`)}</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((r) => (
                <tr data-template={`${r.name}:${r.language}`}>
                  <td>{r.name}</td>
                  <td>{r.language}</td>
                  <td>
                    {r.status === 'APPROVED' ? (
                      <strong style="color:#0b5d3b" data-status={r.status}>
                        {statusLabel(t, r.status)}
                      </strong>
                    ) : (
                      <span class="late" data-status={r.status}>
                        {statusLabel(t, r.status)}
                      </span>
                    )}
                  </td>
                  <td>{r.category ?? '—'}</td>
                  <td>{String(r.parameterCount)}</td>
                  <td class="text">{r.body ?? '—'}</td>
                  <td>{r.reason ?? '—'}</td>
                  <td class="meta">{when(r.syncedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Shell>
  );
}

function SyncResult({ t, last, when }: { t: TFunction; last: TemplateSyncResult; when: (d: Date) => string }) {
  return last.ok ? (
    <p class="notice" role="status" data-testid="sync-result">
      {t(`${NS}:sync.ok`, { saved: last.saved, deleted: last.deleted, skipped: last.skipped })}
    </p>
  ) : (
    <p class="error" role="alert" data-testid="sync-error">
      {t(`${NS}:sync.failed`, { when: when(last.at), error: last.error })}
    </p>
  );
}

export function TemplatesForbiddenPage({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t(`${NS}:forbidden.title`)} session={session} here="/console">
      <h1>{t(`${NS}:forbidden.title`)}</h1>
      <p>{t(`${NS}:forbidden.text`)}</p>
    </Shell>
  );
}
