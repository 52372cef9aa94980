import type { TFunction } from 'i18next';
import { formatRupiah } from '../../../../domain/money.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { PeriodLists } from '../../../../services/programs/lists.ts';
import type { ProgramRow } from '../../../../services/programs/read.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, formatTime, Shell } from '../../shell/layout.tsx';
import { NoticeLine, type Notice } from './shared.tsx';

// A table scrolls sideways on a phone inside its own box, so it takes Tab (tabindex 0) to reach by keyboard.
// A program's recipient lists: one block per period (from its enrollments and its lists), every version of it
// with its status, count, total and decree, and the button that opens the period's draft.

export interface ListsPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  program: ProgramRow;
  periods: PeriodLists[];
  notice?: Notice | undefined;
}

export function ListsPage(p: ListsPageProps) {
  const { t, locale, program } = p;
  const title = t('programs:lists.title', { code: program.code });
  return (
    <Shell t={t} locale={locale} title={title} session={p.session} here={`/console/programs/${program.id}/lists`}>
      <p>
        <a href="/console/programs">{t('programs:back')}</a>
      </p>
      <h1>{title}</h1>
      <p class="meta">{t('programs:lists.intro')}</p>
      <NoticeLine notice={p.notice} />
      {p.periods.length === 0 ? <p data-testid="lists-empty">{t('programs:lists.empty')}</p> : null}
      {p.periods.map((period) => (
        <section class="card" aria-labelledby={`h-period-${period.period}`} data-period={period.period}>
          <h2 id={`h-period-${period.period}`}>
            {t('programs:lists.period')} {period.period}
          </h2>
          <p>
            {t('programs:lists.listed')}: <strong>{period.listed}</strong>
          </p>
          {period.versions.length === 0 ? (
            <p class="meta">{t('programs:lists.none')}</p>
          ) : (
            <table tabindex={0}>
              <caption>{t('programs:lists.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('programs:lists.version')}</th>
                  <th scope="col">{t('programs:lists.status')}</th>
                  <th scope="col">{t('programs:lists.count')}</th>
                  <th scope="col">{t('programs:lists.total')}</th>
                  <th scope="col">{t('programs:lists.decree')}</th>
                  <th scope="col">{t('programs:lists.lockedBy')}</th>
                </tr>
              </thead>
              <tbody>
                {period.versions.map((v) => (
                  <tr data-list={String(v.id)} data-status={v.status}>
                    <td>
                      <a href={`/console/programs/${program.id}/lists/${v.id}`}>
                        {t('programs:lists.open')} v{v.version}
                      </a>
                    </td>
                    <td>{t(`programs:listStatus.${v.status}`)}</td>
                    <td>{v.recipientCount ?? '—'}</td>
                    <td>{v.totalAmount === null ? '—' : formatRupiah(v.totalAmount, locale)}</td>
                    <td>{v.decreeNumber ?? '—'}</td>
                    <td>{v.lockedAt ? `${v.lockedByName ?? '—'}, ${formatTime(v.lockedAt, locale, p.timeZone)}` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {period.versions.length === 0 || period.versions.some((v) => v.status === 'draft') ? (
            <form method="post" action={`/console/programs/${program.id}/lists`}>
              <Csrf session={p.session} />
              <input type="hidden" name="period" value={period.period} />
              <button class="secondary" type="submit">
                {t('programs:lists.startDraft')}
              </button>
            </form>
          ) : null}
        </section>
      ))}
    </Shell>
  );
}
