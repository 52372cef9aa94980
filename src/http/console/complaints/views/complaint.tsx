import type { TFunction } from 'i18next';
import { REPLY_VARIABLES } from '../../../../domain/reply-variables.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { AttachmentView } from '../../../../services/complaints/attachments.ts';
import type { Refusal } from '../../../../services/complaints/lifecycle.ts';
import type { ComplaintView, RevealedReporter } from '../../../../services/complaints/queries.ts';
import type { CannedResponse } from '../../../../services/staff/canned-responses.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, formatTime, Shell } from '../../shell/layout.tsx';
import { ComplaintLive, type LiveProps } from './live.tsx';

// The page of one complaint, from what its route loaded: the live part (facts, history, chat) and the forms
// to reply, reveal the reporter and add a note, each shown only to whoever may use it.

export const DONE = ['reply', 'note', 'verify', 'assign', 'start', 'close'] as const;
export type Done = (typeof DONE)[number];
export const REPLYABLE = ['verified', 'in_progress', 'reopened', 'answered'];

const PLACEHOLDERS = REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ');

export interface ShowOptions {
  error?: Refusal;
  draft?: string;
  note?: string;
  done?: Done;
  /** A canned response picked from the list: its text goes into the reply box. */
  cannedId?: number;
  /** The reporter in full, after an audited reveal; shown on this response only. */
  revealed?: RevealedReporter;
}

export function ComplaintNotFound({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('console:notFound.title')} session={session} here="/console/complaints">
      <h1>{t('console:notFound.title')}</h1>
      <p>{t('console:notFound.text')}</p>
      <p>
        <a href="/console/complaints">{t('console:notFound.back')}</a>
      </p>
    </Shell>
  );
}

export interface ComplaintPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  live: { view: ComplaintView; conversation: LiveProps['conversation']; staffName: (id: number | null) => string; attachments: AttachmentView[] };
  /** The person works complaints (the reply and note forms). */
  works: boolean;
  /** The person may reveal the reporter. */
  mayReveal: boolean;
  canned: CannedResponse[];
  opts: ShowOptions;
}

export function ComplaintPage({ t, locale, timeZone, session, live, works, mayReveal, canned, opts }: ComplaintPageProps) {
  const { view: v } = live;
  return (
    <Shell t={t} locale={locale} title={v.trackingId} session={session} here={`/console/complaints/${v.id}`} live>
      <p>
        <a href="/console/complaints">← {t('console:nav.inbox')}</a>
      </p>
      <h1>{t('console:complaint.heading', { trackingId: v.trackingId })}</h1>
      {opts.error ? (
        <p class="error" role="alert">
          {t(`console:refusals.${opts.error}`, { vars: PLACEHOLDERS })}
        </p>
      ) : null}
      {opts.done ? (
        <p class="notice" role="status">
          {t(`console:done.${opts.done}`)}
        </p>
      ) : null}

      {/* The SSE stream only signals; the fragment comes from the scope-checked /live route. */}
      <div hx-ext="sse" sse-connect={`/console/complaints/${v.id}/events`}>
        <ComplaintLive t={t} locale={locale} timeZone={timeZone} session={session} view={v} conversation={live.conversation} staffName={live.staffName} attachments={live.attachments} />
      </div>
      <p class="meta">{t('console:complaint.liveNote')}</p>

      {works && REPLYABLE.includes(v.status) ? <ReplyCard t={t} locale={locale} timeZone={timeZone} session={session} view={v} canned={canned} opts={opts} /> : null}

      {mayReveal || works ? <ReporterCard t={t} session={session} view={v} mayReveal={mayReveal} revealed={opts.revealed} /> : null}

      {works ? (
        <section class="card">
          <h2>{t('console:complaint.note')}</h2>
          <form method="post" action={`/console/complaints/${v.id}/note`}>
            <Csrf session={session} />
            <label for="note-text">{t('console:complaint.noteLabel')}</label>
            <textarea id="note-text" name="text" maxlength={10000} required>
              {opts.note ?? ''}
            </textarea>
            <button class="secondary" type="submit">
              {t('console:actions.note')}
            </button>
          </form>
        </section>
      ) : null}
    </Shell>
  );
}

interface ReplyCardProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  view: ComplaintView;
  canned: CannedResponse[];
  opts: ShowOptions;
}

function ReplyCard({ t, locale, timeZone, session, view: v, canned, opts }: ReplyCardProps) {
  return (
    <section class="card">
      <h2>{t('console:complaint.reply')}</h2>
      {!v.replyWindowOpen ? (
        <p class="warn" role="note">
          {t('console:complaint.windowClosed')}
        </p>
      ) : v.windowClosesAt ? (
        <p class="notice" role="note">
          {t('console:complaint.windowOpen', { until: formatTime(v.windowClosesAt, locale, timeZone) })}
        </p>
      ) : null}
      {canned.length > 0 ? (
        <form method="get" action={`/console/complaints/${v.id}`} class="filters">
          <div>
            <label for="canned">{t('console:complaint.canned')}</label>
            <select id="canned" name="canned">
              {canned.map((r) => (
                <option value={String(r.id)} selected={opts.cannedId === r.id}>
                  {r.title}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t('console:complaint.cannedUse')}</button>
        </form>
      ) : (
        <p class="meta">{t('console:complaint.cannedNone')}</p>
      )}
      <form method="post" action={`/console/complaints/${v.id}/reply`}>
        <Csrf session={session} />
        <label for="reply-text">{t('console:complaint.replyLabel')}</label>
        <textarea id="reply-text" name="text" maxlength={4000} required>
          {opts.draft ?? (opts.cannedId !== undefined ? (canned.find((r) => r.id === opts.cannedId)?.body ?? '') : '')}
        </textarea>
        <p class="meta">{t('console:complaint.cannedHelp', { vars: PLACEHOLDERS })}</p>
        <button class="primary" type="submit">
          {t('console:actions.reply')}
        </button>
      </form>
    </section>
  );
}

function ReporterCard({ t, session, view: v, mayReveal, revealed }: { t: TFunction; session: Session; view: ComplaintView; mayReveal: boolean; revealed: RevealedReporter | undefined }) {
  return (
    <section class="card">
      <h2>{t('console:complaint.reporter')}</h2>
      {revealed ? (
        <dl class="facts" data-testid="revealed">
          <dt>{t('console:complaint.revealName')}</dt>
          <dd>{revealed.member?.name ?? revealed.displayName ?? '—'}</dd>
          <dt>{t('console:complaint.revealNik')}</dt>
          <dd>{revealed.member?.nik ?? t('console:complaint.revealNone')}</dd>
          <dt>{t('console:complaint.revealChat')}</dt>
          <dd>{revealed.channel ? `${t(`console:channel.${revealed.channel}`)} · ${revealed.externalId ?? '—'}` : '—'}</dd>
        </dl>
      ) : mayReveal ? (
        <form method="post" action={`/console/complaints/${v.id}/reveal`}>
          <Csrf session={session} />
          <p class="meta">{t('console:complaint.revealHelp')}</p>
          <button class="secondary" type="submit">
            {t('console:complaint.reveal')}
          </button>
        </form>
      ) : null}
      <p>
        <a href={`/console/complaints/${v.id}/lapor.json`} download>
          {t('console:complaint.exportLapor')}
        </a>
      </p>
    </section>
  );
}
