import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { ReferralDetail } from '../../../../services/referrals/read.ts';
import { NOTE_MAX } from '../../../../services/referrals/shared.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, formatTime, Shell } from '../../shell/layout.tsx';
import { DueDate, NoticeLine, sourceHref, sourceLabel, type Notice } from './shared.tsx';

// One referral: its case, the agency and how to reach it, status and due date, the history of every change,
// and the form that records the agency's answer (only the moves the status allows are offered).

export interface StatusDraft {
  status: string;
  note: string;
}

export interface ReferralPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  referral: ReferralDetail;
  draft: StatusDraft;
  notice?: Notice | undefined;
}

export function ReferralPage(p: ReferralPageProps) {
  const { t, locale, referral: r } = p;
  const title = t('referrals:detail.title', { id: r.id });
  return (
    <Shell t={t} locale={locale} title={title} session={p.session} here={`/console/referrals/${r.id}`}>
      <p>
        <a href="/console/referrals">{t('referrals:back')}</a>
      </p>
      <h1>{title}</h1>
      <NoticeLine notice={p.notice} />
      <dl class="facts">
        <dt>{t('referrals:detail.case')}</dt>
        <dd>
          <a href={sourceHref(r.source)}>{sourceLabel(t, r.source)}</a>
        </dd>
        <dt>{t('referrals:detail.agency')}</dt>
        <dd data-testid="referral-agency">
          {r.agency.name}
          {!r.agencyContact.active ? <span class="meta"> ({t('referrals:detail.agencyInactive')})</span> : null}
        </dd>
        <dt>{t('referrals:detail.kind')}</dt>
        <dd>{t(`referrals:kinds.${r.agency.kind}`)}</dd>
        {r.agencyContact.services ? (
          <>
            <dt>{t('referrals:detail.services')}</dt>
            <dd>{r.agencyContact.services}</dd>
          </>
        ) : null}
        {r.agencyContact.phone ? (
          <>
            <dt>{t('referrals:detail.phone')}</dt>
            <dd>{r.agencyContact.phone}</dd>
          </>
        ) : null}
        {r.agencyContact.email ? (
          <>
            <dt>{t('referrals:detail.email')}</dt>
            <dd>{r.agencyContact.email}</dd>
          </>
        ) : null}
        {r.agencyContact.address ? (
          <>
            <dt>{t('referrals:detail.address')}</dt>
            <dd>{r.agencyContact.address}</dd>
          </>
        ) : null}
        <dt>{t('referrals:detail.status')}</dt>
        <dd data-testid="referral-status" data-status={r.status}>
          {t(`referrals:statuses.${r.status}`)}
        </dd>
        <dt>{t('referrals:detail.due')}</dt>
        <dd>
          <DueDate t={t} locale={locale} dueOn={r.dueOn} overdue={r.overdue} />
        </dd>
        {r.note ? (
          <>
            <dt>{t('referrals:detail.note')}</dt>
            <dd class="text">{r.note}</dd>
          </>
        ) : null}
      </dl>

      <table data-testid="referral-history">
        <caption>{t('referrals:detail.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('referrals:detail.when')}</th>
            <th scope="col">{t('referrals:detail.status')}</th>
            <th scope="col">{t('referrals:detail.by')}</th>
            <th scope="col">{t('referrals:detail.eventNote')}</th>
          </tr>
        </thead>
        <tbody>
          {r.events.map((e) => (
            <tr data-event={e.status}>
              <td>{formatTime(e.at, locale, p.timeZone)}</td>
              <td>{t(`referrals:statuses.${e.status}`)}</td>
              <td>{e.staffName ?? t('referrals:detail.system')}</td>
              <td class="text">{e.note ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {r.moves.length === 0 ? (
        <p class="meta">{t('referrals:detail.final')}</p>
      ) : (
        <section class="card" aria-labelledby="h-referral-change">
          <h2 id="h-referral-change">{t('referrals:detail.change')}</h2>
          <form method="post" action={`/console/referrals/${r.id}/status`}>
            <Csrf session={p.session} />
            <div class="field">
              <label for="ref-status">{t('referrals:detail.newStatus')}</label>
              <select id="ref-status" name="status" required>
                {r.moves.map((s) => (
                  <option value={s} selected={p.draft.status === s}>
                    {t(`referrals:statuses.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="ref-change-note">{t('referrals:detail.changeNote')}</label>
              <textarea id="ref-change-note" name="note" rows={3} maxlength={NOTE_MAX} aria-describedby="ref-change-note-hint">
                {p.draft.note}
              </textarea>
              <p class="meta" id="ref-change-note-hint">
                {t('referrals:detail.changeNoteHint')}
              </p>
            </div>
            <button class="primary" type="submit">
              {t('referrals:detail.submit')}
            </button>
          </form>
        </section>
      )}
    </Shell>
  );
}
