import type { TFunction } from 'i18next';
import { dayName } from '../../../../domain/dates.ts';
import { describeSchedule, type OpeningSpan } from '../../../../domain/office-hours.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { HOURS_TEXT_MAX } from '../../../../services/calendar/office-hours.ts';
import type { Office } from '../../../../services/offices.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf } from '../../shell/layout.tsx';
import { ErrorBox, Notice } from './fields.tsx';

// The office hours pages: the offices with their hours and schedule as residents read them, and one
// office's form: the two texts and up to SPAN_ROWS spans of days with opening and closing times.

/** How many spans the form offers; more than two is rare (a Friday prayer break makes two on one day). */
export const SPAN_ROWS = 4;

export type OfficeDraft = { id: number; name: string; hours: string; hoursEn: string; schedule: OpeningSpan[] };

export function OfficesList({ t, locale, timeZone, rows, done }: { t: TFunction; locale: Locale; timeZone: string; rows: Office[]; done: string | undefined }) {
  return (
    <>
      <p class="meta">{t('admin:offices.intro')}</p>
      <Notice text={done} />
      <table data-testid="offices">
        <thead>
          <tr>
            <th>{t('admin:offices.office')}</th>
            <th>{t('admin:offices.kecamatan')}</th>
            <th>{t('admin:offices.hours')}</th>
            <th>{t('admin:offices.hoursEn')}</th>
            <th>{t('admin:offices.schedule')}</th>
            <th>{t('admin:users.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((o) => (
            <tr data-office-id={String(o.id)}>
              <td>{o.name}</td>
              <td>{o.kecamatan ?? t('admin:offices.cityWide')}</td>
              <td lang="id">{o.hours}</td>
              <td lang="en">{o.hoursEn ?? '—'}</td>
              <td data-testid="schedule">{o.schedule ? describeSchedule(o.schedule, locale, timeZone) : t('admin:offices.noSchedule')}</td>
              <td class="actions">
                <a href={`/console/admin/offices/${o.id}`}>{t('admin:offices.edit')}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function SpanFields({ t, locale, n, span }: { t: TFunction; locale: Locale; n: number; span: OpeningSpan | undefined }) {
  const id = (s: string) => `s${n}-${s}`;
  return (
    <fieldset data-span={String(n)}>
      <legend>{t('admin:offices.span', { n })}</legend>
      <fieldset class="days">
        <legend>{t('admin:offices.days')}</legend>
        {[1, 2, 3, 4, 5, 6, 7].map((d) => (
          <label>
            <input type="checkbox" name={`s${n}_d${d}`} value="1" checked={span?.days.includes(d) ?? false} /> {dayName(d % 7, locale)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={id('opens')}>{t('admin:offices.opens')}</label>
        <input id={id('opens')} name={`s${n}_opens`} type="time" value={span?.opens ?? ''} />
      </div>
      <div class="field">
        <label for={id('closes')}>{t('admin:offices.closes')}</label>
        <input id={id('closes')} name={`s${n}_closes`} type="time" value={span?.closes ?? ''} />
      </div>
    </fieldset>
  );
}

export function OfficeEdit({ t, locale, session, draft, errors }: { t: TFunction; locale: Locale; session: Session; draft: OfficeDraft; errors: string[] }) {
  return (
    <>
      {errors.map((e) => (
        <ErrorBox text={e} />
      ))}
      <section class="card">
        <form method="post" action={`/console/admin/offices/${draft.id}`}>
          <Csrf session={session} />
          <div class="field">
            <label for="o-hours">{t('admin:offices.hours')}</label>
            <input id="o-hours" name="hours" lang="id" size={60} required maxlength={HOURS_TEXT_MAX} value={draft.hours} />
          </div>
          <div class="field">
            <label for="o-hours-en">{t('admin:offices.hoursEn')}</label>
            <input id="o-hours-en" name="hoursEn" lang="en" size={60} maxlength={HOURS_TEXT_MAX} value={draft.hoursEn} aria-describedby="o-hours-en-hint" />
            <p class="meta" id="o-hours-en-hint">
              {t('admin:offices.hoursEnHint')}
            </p>
          </div>
          <h2>{t('admin:offices.schedule')}</h2>
          <p class="meta">{t('admin:offices.scheduleHint')}</p>
          {Array.from({ length: SPAN_ROWS }, (_, i) => (
            <SpanFields t={t} locale={locale} n={i + 1} span={draft.schedule[i]} />
          ))}
          <button class="primary" type="submit">
            {t('admin:offices.save')}
          </button>
        </form>
      </section>
      <p>
        <a href="/console/admin/offices">{t('admin:offices.back')}</a>
      </p>
    </>
  );
}
