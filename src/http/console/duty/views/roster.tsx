import type { TFunction } from 'i18next';
import { formatDate } from '../../../../domain/dates.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { DutyDay, DutyOfficer } from '../../../../services/duty/roster.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';

// The duty roster page: one row per day, the officer on duty (or nobody, said plainly: an urgent report that
// night would wait in the emergency queue), and for a city-wide supervisor a form per day to change it.

export type DutyNotice = { kind: 'done' | 'error'; text: string };

export interface DutyPageProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  days: DutyDay[];
  officers: DutyOfficer[];
  today: string;
  /** The person may change the roster (city-wide 'complaints.assign'); otherwise it is read only. */
  editable: boolean;
  notice?: DutyNotice | undefined;
}

export function DutyForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('duty:title')} session={session} here="/console/duty">
      <h1>{t('duty:title')}</h1>
      <p class="error">{t('duty:forbidden')}</p>
    </Shell>
  );
}

export function DutyPage(p: DutyPageProps) {
  const { t, locale, session } = p;
  return (
    <Shell t={t} locale={locale} title={t('duty:title')} session={session} here="/console/duty">
      <h1>{t('duty:title')}</h1>
      <p class="meta">{t('duty:intro')}</p>
      {p.notice ? (
        <p class={p.notice.kind === 'error' ? 'error' : 'notice'} role={p.notice.kind === 'error' ? 'alert' : 'status'}>
          {p.notice.text}
        </p>
      ) : null}
      {!p.editable ? <p class="meta">{t('duty:readOnly')}</p> : null}
      {p.editable && p.officers.length === 0 ? <p class="meta">{t('duty:noOfficers')}</p> : null}
      <table data-testid="duty">
        <thead>
          <tr>
            <th>{t('duty:date')}</th>
            <th>{t('duty:officer')}</th>
            {p.editable ? <th>{t('duty:change')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {p.days.map((d) => (
            <tr data-date={d.date}>
              <td>
                <time datetime={d.date}>{formatDate(d.date, locale)}</time>
                {d.date === p.today ? <span class="meta"> ({t('duty:today')})</span> : null}
              </td>
              <td data-testid="officer">{d.officer ? d.officer.name : <span class="late">{t('duty:nobody')}</span>}</td>
              {p.editable ? (
                <td>
                  <form method="post" action={`/console/duty/${d.date}`} class="inline">
                    <Csrf session={session} />
                    <label class="visually-hidden" for={`duty-${d.date}`}>
                      {t('duty:pickFor', { date: formatDate(d.date, locale) })}
                    </label>
                    <select id={`duty-${d.date}`} name="staffId">
                      <option value="" selected={d.officer === null}>
                        {t('duty:none')}
                      </option>
                      {p.officers.map((o) => (
                        <option value={String(o.id)} selected={d.officer?.id === o.id}>
                          {o.name}
                        </option>
                      ))}
                    </select>{' '}
                    <button class="secondary" type="submit">
                      {t('duty:save')}
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </Shell>
  );
}
