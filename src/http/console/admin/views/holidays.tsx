import type { TFunction } from 'i18next';
import { formatDate } from '../../../../domain/dates.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { HOLIDAY_NAME_MAX, type Holiday } from '../../../../services/calendar/holidays.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import type { ListState } from '../skeleton.ts';
import { ListPage } from './list-page.tsx';

// The holidays page: every day with its name (a day already past marked so), remove, and the form to add.

export interface HolidaysListProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  rows: Holiday[];
  today: string;
  draft: Holiday;
  opts: ListState<Holiday>;
}

export function HolidaysList({ t, locale, session, rows, today, draft, opts }: HolidaysListProps) {
  return (
    <ListPage
      intro={<p class="meta">{t('admin:holidays.intro')}</p>}
      done={opts.done}
      errors={opts.errors}
      rows={
        rows.length === 0 ? (
          <p>{t('admin:holidays.empty')}</p>
        ) : (
          <table data-testid="holidays">
            <thead>
              <tr>
                <th>{t('admin:holidays.day')}</th>
                <th>{t('admin:holidays.name')}</th>
                <th>{t('admin:holidays.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((h) => (
                <tr data-day={h.day} data-past={String(h.day < today)}>
                  <td>
                    <time datetime={h.day}>{formatDate(h.day, locale)}</time>
                    {h.day < today ? <span class="meta"> ({t('admin:holidays.past')})</span> : null}
                  </td>
                  <td>{h.name}</td>
                  <td class="actions">
                    <PostButton session={session} action={`/console/admin/holidays/${h.day}/delete`} label={t('admin:holidays.remove')} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
      create={{
        id: 'h-new-holiday',
        title: t('admin:holidays.create.title'),
        form: (
          <form method="post" action="/console/admin/holidays">
            <Csrf session={session} />
            <div class="field">
              <label for="h-day">{t('admin:holidays.day')}</label>
              <input id="h-day" name="day" type="date" required value={draft.day} />
            </div>
            <div class="field">
              <label for="h-name">{t('admin:holidays.name')}</label>
              <input id="h-name" name="name" required maxlength={HOLIDAY_NAME_MAX} value={draft.name} />
            </div>
            <button class="primary" type="submit">
              {t('admin:holidays.create.submit')}
            </button>
          </form>
        ),
      }}
    />
  );
}
