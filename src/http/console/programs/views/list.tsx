import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { ProgramSummary } from '../../../../services/programs/read.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Shell } from '../../shell/layout.tsx';
import { NoticeLine, type Notice } from './shared.tsx';

// A table scrolls sideways on a phone inside its own box, so it takes Tab (tabindex 0) to reach by keyboard.
// The programs an officer manages: code, name, bidang, the yearly target beside how many receive it now, and
// the way to its recipient lists.

export interface ProgramListProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  rows: ProgramSummary[];
  mayCreate: boolean;
  notice?: Notice | undefined;
}

export function ProgramList(p: ProgramListProps) {
  const { t, locale } = p;
  const n = (x: number) => x.toLocaleString(locale === 'en' ? 'en-US' : 'id-ID');
  return (
    <Shell t={t} locale={locale} title={t('programs:title')} session={p.session} here="/console/programs">
      <h1>{t('programs:title')}</h1>
      <p class="meta">{t('programs:intro')}</p>
      <NoticeLine notice={p.notice} />
      {p.mayCreate ? (
        <p>
          <a href="/console/programs/new">{t('programs:list.new')}</a>
        </p>
      ) : null}
      {p.rows.length === 0 ? (
        <p data-testid="programs-empty">{t('programs:empty')}</p>
      ) : (
        <table tabindex={0} data-testid="programs">
          <caption>{t('programs:list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('programs:list.code')}</th>
              <th scope="col">{t('programs:list.name')}</th>
              <th scope="col">{t('programs:list.bidang')}</th>
              <th scope="col">{t('programs:list.target')}</th>
              <th scope="col">{t('programs:list.enrolled')}</th>
              <th scope="col">{t('programs:list.lists')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr data-program={r.code}>
                <td>{r.mayManage ? <a href={`/console/programs/${r.id}`}>{r.code}</a> : r.code}</td>
                <td>{locale === 'en' && r.nameEn ? r.nameEn : r.name}</td>
                <td>{r.bidang ?? '—'}</td>
                <td data-testid="target">{r.targetPerYear === null ? t('programs:list.noTarget') : n(r.targetPerYear)}</td>
                <td data-testid="enrolled">{n(r.enrolled)}</td>
                <td>
                  <a href={`/console/programs/${r.id}/lists`}>{t('programs:list.lists')}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Shell>
  );
}
