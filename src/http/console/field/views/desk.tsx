import { itemLabel } from '../../../../services/field/index.ts';
import type { TFunction } from 'i18next';
import { formatDate, formatDateTime } from '../../../../domain/dates.ts';
import { FIELD_TASK_STATUSES, type Locale } from '../../../../domain/vocabulary.ts';
import type { AreaInScope } from '../../../../services/areas.ts';
import type { FieldTaskFilter, FieldTaskView, PendingVisitView, WorkerLoad } from '../../../../services/field/index.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { mapLink } from '../../../field/map-link.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';

// The supervisor's field desk: who carries what (open, overdue, visited this month), the visits waiting for a
// decision (a move or a death changes the registry only once approved), and the task list with its filters
// and a worker picker per task. Every change is a form that posts and redirects.

export type DeskNotice = { kind: 'done' | 'error'; text: string };

export interface DeskProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  workers: WorkerLoad[];
  pending: PendingVisitView[];
  tasks: FieldTaskView[];
  truncated: boolean;
  /** The workers who cover each task's kelurahan: the choices of its picker. */
  pickers: Map<number, { id: number; name: string }[]>;
  areas: AreaInScope[];
  filter: FieldTaskFilter;
  /** The filter as a query string ("?status=open"), for coming back to the same list after a change. */
  query: string;
  notice?: DeskNotice;
  /** The checklist items' words by "kind:key" (hidden items too: a visit keeps old answers). */
  labels: Map<string, Record<string, string>>;
}

export function DeskForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('field:desk.title')} session={session} here="/console/field">
      <h1>{t('field:desk.title')}</h1>
      <p class="error">{t('field:desk.forbidden')}</p>
    </Shell>
  );
}

export function DeskPage(p: DeskProps) {
  const { t, locale, session, notice } = p;
  return (
    <Shell t={t} locale={locale} title={t('field:desk.title')} session={session} here="/console/field">
      <h1>{t('field:desk.title')}</h1>
      {notice ? (
        <p class={notice.kind === 'done' ? 'notice' : 'error'} role={notice.kind === 'done' ? 'status' : 'alert'} data-testid="desk-notice">
          {notice.text}
        </p>
      ) : null}
      <Workers t={t} locale={p.locale} workers={p.workers} />
      <Pending {...p} />
      <Tasks {...p} />
    </Shell>
  );
}

function Workers({ t, locale, workers }: { t: TFunction; locale: Locale; workers: WorkerLoad[] }) {
  return (
    <section>
      <h2>{t('field:desk.workers.title')}</h2>
      {workers.length === 0 ? (
        <p>{t('field:desk.workers.empty')}</p>
      ) : (
        <table>
          <caption>{t('field:desk.workers.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field:desk.workers.name')}</th>
              <th scope="col">{t('field:desk.workers.role')}</th>
              <th scope="col">{t('field:desk.workers.kelurahan')}</th>
              <th scope="col">{t('field:desk.workers.open')}</th>
              <th scope="col">{t('field:desk.workers.overdue')}</th>
              <th scope="col">{t('field:desk.workers.visited')}</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((w) => (
              <tr>
                <th scope="row">{w.name}</th>
                <td>{w.roleNames[locale] ?? w.roleNames.id ?? w.fieldRole}</td>
                <td>{w.kelurahan.join(', ')}</td>
                <td>{String(w.open)}</td>
                <td class={w.overdue > 0 ? 'late' : undefined}>{String(w.overdue)}</td>
                <td>{String(w.visitedThisMonth)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Pending({ t, locale, timeZone, session, pending, query, labels }: DeskProps) {
  return (
    <section>
      <h2>{t('field:desk.pending.title')}</h2>
      {pending.length === 0 ? <p>{t('field:desk.pending.empty')}</p> : null}
      {pending.map((v) => (
        <article class="card" data-testid="pending-visit">
          <h3>{t('field:desk.pending.heading', { reason: t(`field:reasons.${v.task.reason}`), kelurahan: v.task.kelurahanName })}</h3>
          <dl class="facts">
            <dt>{t('field:desk.pending.worker')}</dt>
            <dd>{v.staffName}</dd>
            <dt>{t('field:desk.pending.outcome')}</dt>
            <dd>{t(`field:outcomes.${v.outcome}`)}</dd>
            <dt>{t('field:desk.pending.member')}</dt>
            <dd>{v.memberMasked ?? v.task.personMasked ?? '—'}</dd>
            {v.diedOn ? (
              <>
                <dt>{t('field:desk.pending.diedOn')}</dt>
                <dd>{formatDate(v.diedOn, locale)}</dd>
              </>
            ) : null}
            {v.movedTo || v.movedKelurahanName ? (
              <>
                <dt>{t('field:desk.pending.movedTo')}</dt>
                <dd class="text">{[v.movedTo, v.movedKelurahanName].filter(Boolean).join(' · ')}</dd>
              </>
            ) : null}
            <dt>{t('field:desk.pending.visitedAt')}</dt>
            <dd>{formatDateTime(v.visitedAt, locale, timeZone)}</dd>
            <dt>{t('field:desk.pending.checklist')}</dt>
            <dd>
              <ul>
                {Object.entries(v.checklist).map(([key, yes]) => (
                  <li>
                    {itemLabel(labels.get(`${v.task.kind}:${key}`), locale, key)}: {yes ? t('field:desk.pending.yes') : t('field:desk.pending.no')}
                  </li>
                ))}
              </ul>
            </dd>
            {v.note ? (
              <>
                <dt>{t('field:desk.pending.note')}</dt>
                <dd class="text">{v.note}</dd>
              </>
            ) : null}
            <dt>{t('field:desk.pending.gps')}</dt>
            <dd>
              {v.latitude !== null && v.longitude !== null ? (
                <>
                  {t('field:desk.pending.gpsValue', { lat: v.latitude.toFixed(5), lng: v.longitude.toFixed(5), m: v.accuracyM === null ? '—' : Math.round(v.accuracyM) })}{' '}
                  <a href={mapLink(v.latitude, v.longitude)} rel="noopener noreferrer" target="_blank">
                    {t('field:desk.pending.map')}
                  </a>
                </>
              ) : (
                t('field:desk.pending.noGps')
              )}
            </dd>
            <dt>{t('field:desk.pending.photos')}</dt>
            <dd>
              {v.photos.length === 0
                ? t('field:desk.pending.noPhotos')
                : v.photos.map((ph, i) => (
                    <a href={photoPath(v.visitId, ph.sha256)}>
                      <img src={photoPath(v.visitId, ph.sha256)} alt={t('field:desk.pending.photoAlt', { n: i + 1 })} width="160" />
                    </a>
                  ))}
            </dd>
          </dl>
          <div class="actions">
            <form method="post" action={`/console/field/visits/${v.visitId}/review`}>
              <Csrf session={session} />
              <input type="hidden" name="back" value={query} />
              <input type="hidden" name="decision" value="approve" />
              <button type="submit" class="primary">
                {t('field:desk.pending.approve')}
              </button>
            </form>
            <form method="post" action={`/console/field/visits/${v.visitId}/review`}>
              <Csrf session={session} />
              <input type="hidden" name="back" value={query} />
              <input type="hidden" name="decision" value="reject" />
              <label for={`reject-note-${v.visitId}`}>{t('field:desk.pending.rejectNote')}</label>
              <p class="meta" id={`reject-hint-${v.visitId}`}>
                {t('field:desk.pending.rejectHint')}
              </p>
              <textarea id={`reject-note-${v.visitId}`} name="note" required maxlength={2000} aria-describedby={`reject-hint-${v.visitId}`}></textarea>
              <button type="submit" class="secondary">
                {t('field:desk.pending.reject')}
              </button>
            </form>
          </div>
        </article>
      ))}
    </section>
  );
}

const photoPath = (visitId: number, sha256: string) => `/console/field/visits/${visitId}/attachments/${sha256}`;

function Tasks({ t, locale, session, tasks, truncated, pickers, areas, filter, workers, query }: DeskProps) {
  return (
    <section>
      <h2>{t('field:desk.tasks.title')}</h2>
      <form method="get" action="/console/field" class="filters card" aria-label={t('field:desk.tasks.filters')}>
        <div>
          <label for="f-status">{t('field:desk.tasks.status')}</label>
          <select id="f-status" name="status">
            <option value="">{t('field:desk.tasks.statusAll')}</option>
            {FIELD_TASK_STATUSES.map((s) => (
              <option value={s} selected={filter.status === s}>
                {t(`field:statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-worker">{t('field:desk.tasks.worker')}</label>
          <select id="f-worker" name="worker">
            <option value="">{t('field:desk.tasks.workerAll')}</option>
            <option value="none" selected={filter.assigneeId === 'none'}>
              {t('field:desk.tasks.workerNone')}
            </option>
            {workers.map((w) => (
              <option value={String(w.staffId)} selected={filter.assigneeId === w.staffId}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-kelurahan">{t('field:desk.tasks.kelurahan')}</label>
          <select id="f-kelurahan" name="kelurahan">
            <option value="">{t('field:desk.tasks.kelurahanAll')}</option>
            {areas.map((k) => (
              <optgroup label={k.name}>
                {k.kelurahan.map((l) => (
                  <option value={String(l.id)} selected={filter.kelurahanId === l.id}>
                    {l.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div>
          <label for="f-overdue" class="choice">
            <input type="checkbox" id="f-overdue" name="overdue" value="1" checked={filter.overdue === true} /> {t('field:desk.tasks.overdueOnly')}
          </label>
        </div>
        <button type="submit">{t('field:desk.tasks.apply')}</button>
      </form>
      {truncated ? <p class="warn">{t('field:desk.tasks.truncated')}</p> : null}
      {tasks.length === 0 ? (
        <p>{t('field:desk.tasks.empty')}</p>
      ) : (
        <table>
          <caption>{t('field:desk.tasks.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('field:desk.tasks.reason')}</th>
              <th scope="col">{t('field:desk.tasks.kelurahan')}</th>
              <th scope="col">{t('field:desk.tasks.person')}</th>
              <th scope="col">{t('field:desk.tasks.dueOn')}</th>
              <th scope="col">{t('field:desk.tasks.status')}</th>
              <th scope="col">{t('field:desk.tasks.assign')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr data-testid="desk-task">
                <th scope="row">{t(`field:reasons.${task.reason}`)}</th>
                <td>{task.kelurahanName}</td>
                <td>{task.personMasked ?? '—'}</td>
                <td class={task.overdue ? 'late' : undefined}>
                  {formatDate(task.dueOn, locale)}
                  {task.overdue ? ` · ${t('field:work.overdue')}` : ''}
                </td>
                <td>{t(`field:statuses.${task.status}`)}</td>
                <td>
                  {task.status === 'open' || task.status === 'visited' ? (
                    <>
                      <AssignForm t={t} session={session} task={task} choices={pickers.get(task.kelurahanId) ?? []} query={query} />
                      <a href={`/console/referrals/new?source=field_task&id=${task.id}`}>{t('field:desk.tasks.refer')}</a>
                    </>
                  ) : (
                    (task.assigneeName ?? t('field:desk.tasks.unassigned'))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AssignForm({ t, session, task, choices, query }: { t: TFunction; session: Session; task: FieldTaskView; choices: { id: number; name: string }[]; query: string }) {
  // The one assigned stays a choice even if they no longer cover the kelurahan: the picker shows the truth.
  const options = task.assigneeId !== null && !choices.some((c) => c.id === task.assigneeId) ? [{ id: task.assigneeId, name: task.assigneeName ?? '—' }, ...choices] : choices;
  const id = `assign-${task.id}`;
  return (
    <form method="post" action={`/console/field/tasks/${task.id}/assign`} class="actions">
      <Csrf session={session} />
      <input type="hidden" name="back" value={query} />
      <label for={id} class="visually-hidden">
        {t('field:desk.tasks.assignLabel', { id: task.id })}
      </label>
      <select id={id} name="assignee">
        <option value="" selected={task.assigneeId === null}>
          {t('field:desk.tasks.unassigned')}
        </option>
        {options.map((w) => (
          <option value={String(w.id)} selected={task.assigneeId === w.id}>
            {w.name}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        {t('field:desk.tasks.save')}
      </button>
    </form>
  );
}
