import type { BroadcastPreview, BroadcastRow, BroadcastStats } from '../../../../services/broadcasts/index.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import { BroadcastShell, NS, refusalText, whenText, type PageContext } from './page.tsx';
import { PreviewCard } from './preview.tsx';
import { BroadcastConfirmCard, type BroadcastConfirm } from './confirm.tsx';
import { ResendCard } from './resend.tsx';

export type { BroadcastConfirm };

// One broadcast: its status and time, who it reaches while it can still change, what became of it once
// sent, and the forms to schedule (a time ahead, or now) and cancel; each of those asks first (confirm.tsx).

const STAT_KEYS = ['total', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped'] as const;

export interface BroadcastDetailProps {
  page: PageContext;
  broadcast: BroadcastRow;
  /** Present while the broadcast is a draft or scheduled. */
  preview?: BroadcastPreview;
  /** Present once it is sent. */
  stats?: BroadcastStats;
  error?: string;
  /** The template a refusal is about. */
  errorDetail?: string;
  /** An action posted without confirm=1: the confirmation, with the preview's counts. */
  confirm?: BroadcastConfirm;
  /** Once sent: how many messages were interrupted while sending (offered to send again). */
  interrupted?: number;
  /** "Send the interrupted messages again" posted without confirm=1. */
  confirmResend?: boolean;
}

/** The household parts of the segment in a line: "desil 1–4 · umur 60–120 · disabilitas"; null when none. */
function householdParts(t: BroadcastDetailProps['page']['t'], s: BroadcastRow['segment']): string | null {
  const range = (a: number | undefined, b: number | undefined) => `${a ?? '…'}–${b ?? '…'}`;
  const parts: string[] = [];
  if (s.desilMin !== undefined || s.desilMax !== undefined) parts.push(t(`${NS}:console.parts.desil`, { range: range(s.desilMin, s.desilMax) }));
  if (s.ageMin !== undefined || s.ageMax !== undefined) parts.push(t(`${NS}:console.parts.age`, { range: range(s.ageMin, s.ageMax) }));
  if (s.disability) parts.push(t(`${NS}:console.parts.disability`));
  return parts.length ? parts.join(' · ') : null;
}

export function BroadcastDetail({ page, broadcast: b, preview, stats, error, errorDetail, confirm, interrupted = 0, confirmResend = false }: BroadcastDetailProps) {
  const { t, session } = page;
  const open = b.status === 'draft' || b.status === 'scheduled';
  const parts = householdParts(t, b.segment);
  return (
    <BroadcastShell page={page} title={b.title}>
      <p>
        <a href="/console/broadcasts">← {t(`${NS}:console.back`)}</a>
      </p>
      <h1>{b.title}</h1>
      {error ? (
        <p class="error" role="alert">
          {refusalText(t, error)}
          {errorDetail ? ` (${errorDetail})` : ''}
        </p>
      ) : null}
      {confirm && preview ? <BroadcastConfirmCard page={page} session={session} broadcast={b} preview={preview} confirm={confirm} /> : null}
      {confirmResend && interrupted > 0 ? <ResendCard page={page} session={session} broadcast={b} count={interrupted} confirm /> : null}
      <dl class="facts card">
        <dt>{t(`${NS}:console.fields.status`)}</dt>
        <dd>{t(`${NS}:status.${b.status}`)}</dd>
        <dt>{t(`${NS}:console.fields.when`)}</dt>
        <dd>{whenText(b.scheduledAt, page)}</dd>
        <dt>{t(`${NS}:console.fields.recipients`)}</dt>
        <dd>{b.recipientCount ?? '—'}</dd>
        {parts ? (
          <>
            <dt>{t(`${NS}:console.fields.household`)}</dt>
            <dd>{parts}</dd>
          </>
        ) : null}
        <dt>{t(`${NS}:console.fields.registry`)}</dt>
        <dd>{t(b.toRegistryPhones ? `${NS}:console.registryYes` : `${NS}:console.registryNo`)}</dd>
        {b.template ? (
          <>
            <dt>{t(`${NS}:console.fields.template`)}</dt>
            <dd>{b.template}</dd>
          </>
        ) : null}
      </dl>
      {preview ? <PreviewCard t={t} preview={preview} /> : null}
      {stats ? (
        <section class="card">
          <h2>{t(`${NS}:stats.title`)}</h2>
          <dl class="facts">
            {STAT_KEYS.map((k) => (
              <>
                <dt>{t(`${NS}:stats.${k}`)}</dt>
                <dd>{stats[k]}</dd>
              </>
            ))}
          </dl>
          {stats.failedByReason.length ? (
            <>
              <h3>{t(`${NS}:stats.byReason`)}</h3>
              <ul>
                {stats.failedByReason.map((r) => (
                  <li>{`${t([`${NS}:reasons.${r.reason}`, `${NS}:reasons.other`], { reason: r.reason })}: ${r.count}`}</li>
                ))}
              </ul>
            </>
          ) : null}
          <p class="meta">{t(`${NS}:stats.hint`)}</p>
        </section>
      ) : null}
      {interrupted > 0 && !confirmResend ? <ResendCard page={page} session={session} broadcast={b} count={interrupted} confirm={false} /> : null}
      {open ? (
        <section class="card actions">
          <form method="post" action={`/console/broadcasts/${b.id}/schedule`}>
            <Csrf session={session} />
            <label for="b-at">{t(`${NS}:console.scheduleAt`)}</label>
            <input id="b-at" name="at" type="datetime-local" required />
            <button class="primary" type="submit">
              {t(`${NS}:console.schedule`)}
            </button>
          </form>
          <form method="post" action={`/console/broadcasts/${b.id}/schedule`}>
            <Csrf session={session} />
            <input type="hidden" name="at" value="now" />
            <button class="primary" type="submit">
              {t(`${NS}:console.sendNow`)}
            </button>
          </form>
          <PostButton session={session} action={`/console/broadcasts/${b.id}/cancel`} label={t(`${NS}:console.cancel`)} />
        </section>
      ) : null}
      <p class="meta">{t(`${NS}:console.quietHours`)}</p>
    </BroadcastShell>
  );
}
