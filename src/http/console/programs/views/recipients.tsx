import type { TFunction } from 'i18next';
import { formatDate, todayIn } from '../../../../domain/dates.ts';
import { formatRupiah } from '../../../../domain/money.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { DECREE_MAX, LIST_NOTE_MAX, PAGE_ROWS, type RecipientListView } from '../../../../services/programs/lists.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { NoticeLine, type Notice } from './shared.tsx';

// One recipient list: its status and figures, the SK downloads, the rows (NIK and KK masked), and for a draft
// the approval: the count and total it would lock, the decree's number, and the lock button. A locked list
// offers its next version instead.

export interface RecipientsPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  view: RecipientListView;
  draft: { decreeNumber: string; note: string };
  notice?: Notice | undefined;
}

export function RecipientsPage(p: RecipientsPageProps) {
  const { t, locale, view: v } = p;
  const base = `/console/programs/${v.program.id}/lists/${v.list.id}`;
  const title = t('programs:listPage.title', { code: v.program.code, period: v.list.period, version: v.list.version });
  const total = formatRupiah(v.total, locale);
  return (
    <Shell t={t} locale={locale} title={title} session={p.session} here={base}>
      <p>
        <a href={`/console/programs/${v.program.id}/lists`}>{t('programs:listPage.back')}</a>
      </p>
      <h1>{title}</h1>
      <NoticeLine notice={p.notice} />
      <dl class="facts">
        <dt>{t('programs:lists.status')}</dt>
        <dd data-testid="list-status" data-status={v.list.status}>
          {t(`programs:listStatus.${v.list.status}`)}
        </dd>
        <dt>{t('programs:lists.count')}</dt>
        <dd data-testid="list-summary">{t('programs:listPage.summary', { count: v.count, total })}</dd>
        <dt>{t('programs:lists.decree')}</dt>
        <dd>{v.list.decreeNumber ?? '—'}</dd>
      </dl>
      <p class="meta">
        {v.list.status === 'draft'
          ? t('programs:listPage.draftNote')
          : t('programs:listPage.lockedNote', { name: v.list.lockedByName ?? '—', date: v.list.lockedAt ? formatDate(todayIn(p.timeZone, v.list.lockedAt), locale) : '—' })}
      </p>
      {p.session.actor.kecamatanId !== null ? (
        <p class="meta">{t('programs:listPage.scoped')}</p>
      ) : (
        <p>
          {t('programs:listPage.exports')}: <a href={`${base}/sk.xlsx`}>{t('programs:listPage.xlsx')}</a> · <a href={`${base}/sk.pdf`}>{t('programs:listPage.pdf')}</a>
        </p>
      )}

      {v.list.status === 'draft' ? (
        v.mayLock ? (
          <section class="card" aria-labelledby="h-lock">
            <h2 id="h-lock">{t('programs:listPage.lockTitle')}</h2>
            <p data-testid="lock-confirm">{t('programs:listPage.lockConfirm', { count: v.count, total })}</p>
            <form method="post" action={`${base}/lock`}>
              <Csrf session={p.session} />
              <div class="field">
                <label for="lock-decree">{t('programs:listPage.decree')}</label>
                <input id="lock-decree" name="decreeNumber" required maxlength={DECREE_MAX} value={p.draft.decreeNumber} />
              </div>
              <div class="field">
                <label for="lock-note">{t('programs:listPage.note')}</label>
                <textarea id="lock-note" name="note" rows={2} maxlength={LIST_NOTE_MAX}>
                  {p.draft.note}
                </textarea>
              </div>
              <button class="primary" type="submit">
                {t('programs:listPage.lock')}
              </button>
            </form>
          </section>
        ) : (
          <p class="meta">{t('programs:listPage.cannotLock')}</p>
        )
      ) : null}
      {v.mayRevise ? (
        <form method="post" action={`${base}/version`} class="card">
          <Csrf session={p.session} />
          <p class="meta">{t('programs:listPage.newVersionHint')}</p>
          <button class="secondary" type="submit">
            {t('programs:listPage.newVersion')}
          </button>
        </form>
      ) : null}

      {v.rows.length > PAGE_ROWS ? <p class="meta">{t('programs:listPage.showingFirst', { shown: PAGE_ROWS })}</p> : null}
      {/* On a phone the table scrolls sideways in its own box: a keyboard reaches it by Tab. */}
      <table tabindex={0} data-testid="recipients">
        <caption>{t('programs:listPage.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('programs:sk.columns.no')}</th>
            <th scope="col">{t('programs:sk.columns.name')}</th>
            <th scope="col">{t('programs:sk.columns.nik')}</th>
            <th scope="col">{t('programs:sk.columns.kk')}</th>
            <th scope="col">{t('programs:sk.columns.kelurahan')}</th>
            <th scope="col">{t('programs:sk.columns.kecamatan')}</th>
            <th scope="col">{t('programs:sk.columns.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {v.rows.slice(0, PAGE_ROWS).map((r) => (
            <tr data-enrollment={String(r.enrollmentId)}>
              <td>{r.no}</td>
              <td>{r.name ?? '—'}</td>
              <td>{r.nikMasked ?? '—'}</td>
              <td>{r.kkMasked}</td>
              <td>{r.kelurahan}</td>
              <td>{r.kecamatan}</td>
              <td>{r.amount === null ? '—' : formatRupiah(r.amount, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Shell>
  );
}
