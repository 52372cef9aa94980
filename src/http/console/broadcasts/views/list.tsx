import type { BroadcastRow, BroadcastStats } from '../../../../services/broadcasts/index.ts';
import { BroadcastShell, NS, whenText, type PageContext } from './page.tsx';

// The list of broadcasts, with the delivery counts of those already sent.

export const LIST_DONE = ['cancelled', 'scheduled', 'sent', 'resent'] as const;

function StatsCells({ s }: { s: BroadcastStats | undefined }) {
  return (
    <>
      <td>{s ? s.queued + s.sending : '—'}</td>
      <td>{s ? s.sent : '—'}</td>
      <td>{s ? s.delivered : '—'}</td>
      <td>{s ? s.read : '—'}</td>
      <td>{s ? s.failed : '—'}</td>
    </>
  );
}

export function BroadcastList({ page, rows, stats, done }: { page: PageContext; rows: BroadcastRow[]; stats: Map<number, BroadcastStats | undefined>; done: string | undefined }) {
  const { t } = page;
  return (
    <BroadcastShell page={page} title={t(`${NS}:console.title`)}>
      <h1>{t(`${NS}:console.title`)}</h1>
      {done && (LIST_DONE as readonly string[]).includes(done) ? <p class="notice">{t(`${NS}:console.done.${done}`)}</p> : null}
      <p>
        <a href="/console/broadcasts/new">{t(`${NS}:console.create`)}</a>
      </p>
      {rows.length === 0 ? (
        <p>{t(`${NS}:console.empty`)}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(`${NS}:console.fields.title`)}</th>
              <th scope="col">{t(`${NS}:console.fields.status`)}</th>
              <th scope="col">{t(`${NS}:console.fields.when`)}</th>
              <th scope="col">{t(`${NS}:console.fields.recipients`)}</th>
              <th scope="col">{t(`${NS}:stats.queued`)}</th>
              <th scope="col">{t(`${NS}:stats.sent`)}</th>
              <th scope="col">{t(`${NS}:stats.delivered`)}</th>
              <th scope="col">{t(`${NS}:stats.read`)}</th>
              <th scope="col">{t(`${NS}:stats.failed`)}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((b) => (
              <tr>
                <td>
                  <a href={`/console/broadcasts/${b.id}`}>{b.title}</a>
                </td>
                <td>{t(`${NS}:status.${b.status}`)}</td>
                <td>{whenText(b.scheduledAt, page)}</td>
                <td>{b.recipientCount ?? '—'}</td>
                <StatsCells s={stats.get(b.id)} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </BroadcastShell>
  );
}
