import type { TFunction } from 'i18next';
import { REFERRAL_STATUSES, type Locale } from '../../../../domain/vocabulary.ts';
import type { ReferralFilter, ReferralRow } from '../../../../services/referrals/read.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { formatTime, Shell } from '../../shell/layout.tsx';
import { DueDate, NoticeLine, sourceLabel, type Notice } from './shared.tsx';

// The referrals list: filters (status, agency, overdue), then one row per referral with its case, agency,
// status and due date; an overdue one says so in words, not only in colour.

export interface ReferralListProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  rows: ReferralRow[];
  filter: ReferralFilter;
  agencies: { id: number; name: string }[];
  notice?: Notice | undefined;
}

export function ReferralList(p: ReferralListProps) {
  const { t, locale } = p;
  return (
    <Shell t={t} locale={locale} title={t('referrals:title')} session={p.session} here="/console/referrals">
      <h1>{t('referrals:title')}</h1>
      <p class="meta">{t('referrals:intro')}</p>
      <NoticeLine notice={p.notice} />
      <form method="get" action="/console/referrals" class="filters">
        <fieldset>
          <legend>{t('referrals:filters.legend')}</legend>
          <label for="rf-status">{t('referrals:filters.status')}</label>{' '}
          <select id="rf-status" name="status">
            <option value="">{t('referrals:filters.allStatuses')}</option>
            {REFERRAL_STATUSES.map((s) => (
              <option value={s} selected={p.filter.status === s}>
                {t(`referrals:statuses.${s}`)}
              </option>
            ))}
          </select>{' '}
          <label for="rf-agency">{t('referrals:filters.agency')}</label>{' '}
          <select id="rf-agency" name="agency">
            <option value="">{t('referrals:filters.allAgencies')}</option>
            {p.agencies.map((a) => (
              <option value={String(a.id)} selected={p.filter.agencyId === a.id}>
                {a.name}
              </option>
            ))}
          </select>{' '}
          <label>
            <input type="checkbox" name="overdue" value="1" checked={p.filter.overdue === true} /> {t('referrals:filters.overdue')}
          </label>{' '}
          <button class="secondary" type="submit">
            {t('referrals:filters.apply')}
          </button>
        </fieldset>
      </form>
      <p class="meta">{t('referrals:filters.howTo')}</p>
      {p.rows.length === 0 ? (
        <p data-testid="referrals-empty">{t('referrals:empty')}</p>
      ) : (
        <table data-testid="referrals">
          <caption>{t('referrals:list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('referrals:list.source')}</th>
              <th scope="col">{t('referrals:list.agency')}</th>
              <th scope="col">{t('referrals:list.status')}</th>
              <th scope="col">{t('referrals:list.due')}</th>
              <th scope="col">{t('referrals:list.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr data-referral={String(r.id)} data-overdue={String(r.overdue)}>
                <td>
                  <a href={`/console/referrals/${r.id}`}>{sourceLabel(t, r.source)}</a>
                </td>
                <td>
                  {r.agency.name}
                  <div class="meta">{t(`referrals:kinds.${r.agency.kind}`)}</div>
                </td>
                <td data-status={r.status}>{t(`referrals:statuses.${r.status}`)}</td>
                <td>
                  <DueDate t={t} locale={locale} dueOn={r.dueOn} overdue={r.overdue} />
                </td>
                <td>{formatTime(r.updatedAt, locale, p.timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Shell>
  );
}
