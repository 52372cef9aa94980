import type { FollowUp } from '../../../../services/distribution/rounds.ts';
import { Shell } from '../../shell/layout.tsx';
import { dayText, NS, type PageContext } from './page.tsx';

// The follow-up list of one event: households that missed a third summons, for a visit in person.

export function FollowUpPage({ page, id, eventTitle, rows }: { page: PageContext; id: number; eventTitle: string; rows: FollowUp[] }) {
  const { t, locale } = page;
  return (
    <Shell t={t} locale={locale} title={t(`${NS}:followUp.title`)} session={page.session} here={`/console/distribution/${id}/follow-up`}>
      <p>
        <a href={`/console/distribution/${id}`}>← {eventTitle}</a>
      </p>
      <h1>{t(`${NS}:followUp.title`)}</h1>
      <p class="meta">{t(`${NS}:followUp.help`)}</p>
      {rows.length === 0 ? (
        <p>{t(`${NS}:followUp.none`)}</p>
      ) : (
        <table data-testid="follow-up">
          <thead>
            <tr>
              <th scope="col">{t(`${NS}:followUp.code`)}</th>
              <th scope="col">{t(`${NS}:followUp.head`)}</th>
              <th scope="col">{t(`${NS}:followUp.address`)}</th>
              <th scope="col">{t(`${NS}:followUp.kelurahan`)}</th>
              <th scope="col">{t(`${NS}:followUp.event`)}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <td>{row.code}</td>
                <td>{row.headName}</td>
                <td>{[row.address, row.rt ? `RT ${row.rt}` : null, row.rw ? `RW ${row.rw}` : null].filter(Boolean).join(', ')}</td>
                <td>{row.kelurahan}</td>
                <td>{`${dayText(row.eventDate, locale)} · ${row.eventTitle}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Shell>
  );
}
