import type { TFunction } from 'i18next';
import { formatDateTime } from '../../../../domain/dates.ts';
import { formatRupiah } from '../../../../domain/money.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { dayLabel } from '../../../../messages/period.ts';
import { LIST_LIMIT, NOTE_MAX, type FailedTransferRow } from '../../../../services/disbursements/index.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';

// Failed and returned transfers as work: one row per line, the family masked, the bank's reason, whether the
// family was told (and if not, that someone must reach them), and on an open one the "Selesai" form.

export type FailedNotice = { kind: 'done' | 'error'; text: string; id?: number };

export function FailedPage(p: { t: TFunction; locale: Locale; timeZone: string; session: Session; rows: FailedTransferRow[]; workStatus: 'open' | 'resolved'; notice?: FailedNotice | undefined; draft?: { id: number; note: string } | undefined }) {
  const { t, locale, session } = p;
  return (
    <Shell t={t} locale={locale} title={t('disbursements:failed.title')} session={session} here="/console/disbursements/failed">
      <h1>{t('disbursements:failed.title')}</h1>
      <p>{t('disbursements:failed.intro')}</p>
      <p>
        <a href="/console/disbursements/failed" aria-current={p.workStatus === 'open' ? 'page' : undefined}>
          {t('disbursements:failed.open')}
        </a>
        {' · '}
        <a href="/console/disbursements/failed?status=resolved" aria-current={p.workStatus === 'resolved' ? 'page' : undefined}>
          {t('disbursements:failed.resolved')}
        </a>
      </p>
      {p.notice ? (
        <p class={p.notice.kind === 'error' ? 'error' : 'notice'} role={p.notice.kind === 'error' ? 'alert' : 'status'}>
          {p.notice.text}
        </p>
      ) : null}
      {p.rows.length === 0 ? (
        <p>{t('disbursements:failed.none')}</p>
      ) : (
        <>
          {p.rows.length >= LIST_LIMIT ? <p class="meta">{t('disbursements:failed.limited', { count: LIST_LIMIT })}</p> : null}
          <table>
            <thead>
              <tr>
                {(['family', 'program', 'amount', 'status', 'reason', 'told', 'action'] as const).map((k) => (
                  <th scope="col">{t(`disbursements:failed.col.${k}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r) => (
                <tr>
                  <td>
                    {r.nameMasked ?? ''}
                    <br />
                    {t('disbursements:failed.kk', { kk: r.noKkMasked })}
                    {r.nikMasked ? (
                      <>
                        <br />
                        {t('disbursements:failed.nik', { nik: r.nikMasked })}
                      </>
                    ) : null}
                    <br />
                    <span class="meta">{t('disbursements:failed.where', { kelurahan: r.kelurahan, kecamatan: r.kecamatan })}</span>
                  </td>
                  <td>
                    {`${r.programCode} ${r.period}`}
                    <br />
                    <span class="meta">{r.source}</span>
                  </td>
                  <td>
                    {formatRupiah(r.amount, locale)}
                    {r.referenceMasked ? (
                      <>
                        <br />
                        <span class="meta">{t('disbursements:failed.ref', { ref: r.referenceMasked })}</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {t(`disbursements:failed.status.${r.status}`)}
                    <br />
                    <span class="meta">{dayLabel(r.transferDate, locale)}</span>
                  </td>
                  <td>{r.reason ?? '—'}</td>
                  <td>{r.notifiedAt ? t('disbursements:failed.toldAt', { when: formatDateTime(r.notifiedAt, locale, p.timeZone) }) : <strong>{t('disbursements:failed.noChat')}</strong>}</td>
                  <td>
                    {r.workStatus === 'open' ? (
                      <form method="post" action={`/console/disbursements/failed/${r.id}/resolve`}>
                        <Csrf session={session} />
                        <label for={`note-${r.id}`}>{t('disbursements:failed.note')}</label>
                        <textarea id={`note-${r.id}`} name="note" rows={2} maxlength={NOTE_MAX} required>
                          {p.draft?.id === r.id ? p.draft.note : ''}
                        </textarea>
                        <button type="submit">{t('disbursements:failed.done')}</button>
                      </form>
                    ) : r.resolution ? (
                      t('disbursements:failed.resolution', { note: r.resolution, when: r.resolvedAt ? formatDateTime(r.resolvedAt, locale, p.timeZone) : '' })
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Shell>
  );
}
