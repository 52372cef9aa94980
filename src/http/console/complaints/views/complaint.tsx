import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Refusal } from '../../../../services/complaints/lifecycle.ts';
import type { ComplaintView, RevealedReporter } from '../../../../services/complaints/queries.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { Flash, LiveThread, type Done, type LiveData } from './live.tsx';
import { ReplyArea } from './reply.tsx';
import { Side } from './side.tsx';

// The page of one complaint, laid out like an officer's chat app: the conversation first with the reply box
// pinned under it, the case's facts and actions beside it, the reporter card (reveal, LAPOR! export) below.
// Every part that changes is in live.tsx, so the page and its live fragment are drawn by the same code.

export { DONE, type Done } from './live.tsx';

export interface ShowOptions {
  error?: Refusal;
  draft?: string;
  note?: string;
  done?: Done;
  /** A canned response picked from the list without script: its text goes into the reply box. */
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
  live: LiveData;
  /** The person works complaints (the reply and note forms). */
  works: boolean;
  /** The person may reveal the reporter. */
  mayReveal: boolean;
  opts: ShowOptions;
}

export function ComplaintPage({ t, locale, timeZone, session, live, works, mayReveal, opts }: ComplaintPageProps) {
  const { view: v } = live;
  const props = { t, locale, timeZone, session, ...live };
  const draft = opts.draft ?? (opts.cannedId !== undefined ? live.canned.find((r) => r.id === opts.cannedId)?.body : undefined);
  return (
    <Shell t={t} locale={locale} title={v.trackingId} session={session} here={`/console/complaints/${v.id}`} stream={`/console/complaints/${v.id}/events`}>
      <p>
        <a href="/console/complaints">← {t('console:nav.inbox')}</a>
      </p>
      <h1>{t('console:complaint.heading', { trackingId: v.trackingId })}</h1>
      <Flash t={t} error={opts.error} done={opts.done} />
      <div class="conversation-view">
        <div class="main-col">
          <LiveThread {...props} />
          <ReplyArea t={t} locale={locale} timeZone={timeZone} session={session} view={v} canned={live.canned} {...(opts.cannedId !== undefined ? { cannedId: opts.cannedId } : {})} {...(draft !== undefined ? { draft } : {})} {...(opts.note !== undefined ? { note: opts.note } : {})} />
          {mayReveal || works ? <ReporterCard t={t} session={session} view={v} mayReveal={mayReveal} revealed={opts.revealed} /> : null}
        </div>
        <Side {...props} />
      </div>
    </Shell>
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
