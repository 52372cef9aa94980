import type { TFunction } from 'i18next';
import { formatDate } from '../../../domain/dates.ts';
import type { Locale } from '../../../domain/vocabulary.ts';
import type { FieldTaskView } from '../../../services/field/index.ts';
import type { Session } from '../../../services/staff/sessions.ts';
import { Shell } from '../../console/shell/layout.tsx';
import { mapLink } from '../map-link.ts';
import { FIELD_STYLE } from './style.ts';

// "Tugas saya": the worker's open and visited tasks, the nearest due date first, each with where, who (masked)
// and why, overdue in a word and a colour (never colour alone), and a map link where the kelurahan has one.

export type WorkNotice = 'recorded' | 'recordedPending';

/** The page of /field, with its script (the queue of unsent visits is sent from any page of /field). */
export function FieldShell({ t, locale, session, title, here, children }: { t: TFunction; locale: Locale; session: Session; title: string; here: string; children?: unknown }) {
  return (
    <Shell t={t} locale={locale} title={title} session={session} here={here}>
      <style dangerouslySetInnerHTML={{ __html: FIELD_STYLE }} />
      <div class="field" id="field" data-sent={t('field:sync.sent')} data-sending={t('field:sync.sending')} data-queued={t('field:sync.queued')} data-signed-out={t('field:sync.signedOut')} data-waiting={t('field:sync.waiting')}>
        {children as never}
      </div>
      <script src="/field/field.js" defer></script>
    </Shell>
  );
}

export function FieldForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('field:work.title')} session={session} here="/field">
      <h1>{t('field:work.title')}</h1>
      <p class="error">{t('field:work.forbidden')}</p>
    </Shell>
  );
}

/** Where, who, when: the same facts on the list and on the task's own page, and the map where there is one. */
export function TaskFacts({ t, locale, task }: { t: TFunction; locale: Locale; task: FieldTaskView }) {
  return (
    <>
      <Facts t={t} locale={locale} task={task} />
      {task.latitude !== null && task.longitude !== null ? (
        <p>
          <a href={mapLink(task.latitude, task.longitude)} rel="noopener noreferrer" target="_blank">
            {t('field:work.map')}
          </a>
        </p>
      ) : null}
    </>
  );
}

function Facts({ t, locale, task }: { t: TFunction; locale: Locale; task: FieldTaskView }) {
  return (
    <dl class="facts">
      <dt>{t('field:work.kelurahan')}</dt>
      <dd>{task.kelurahanName}</dd>
      {task.personMasked ? (
        <>
          <dt>{t('field:work.person')}</dt>
          <dd>{task.personMasked}</dd>
        </>
      ) : null}
      {task.address ? (
        <>
          <dt>{t('field:work.address')}</dt>
          <dd>{task.address}</dd>
        </>
      ) : null}
      {task.situation ? (
        <>
          <dt>{t('field:work.situation')}</dt>
          <dd>{task.situation}</dd>
        </>
      ) : null}
      <dt>{t('field:work.dueOn')}</dt>
      <dd class={task.overdue ? 'late' : undefined}>
        {formatDate(task.dueOn, locale)}
        {task.overdue ? <span class="overdue-tag">{t('field:work.overdue')}</span> : null}
      </dd>
      <dt>{t('field:work.status')}</dt>
      <dd>{t(`field:statuses.${task.status}`)}</dd>
    </dl>
  );
}

export function TasksPage({ t, locale, session, tasks, notice }: { t: TFunction; locale: Locale; session: Session; tasks: FieldTaskView[]; notice?: WorkNotice }) {
  return (
    <FieldShell t={t} locale={locale} session={session} title={t('field:work.title')} here="/field">
      <h1>{t('field:work.title')}</h1>
      {notice ? (
        <p class="notice" role="status">
          {t(`field:work.${notice}`)}
        </p>
      ) : null}
      <p class="status" id="field-status" role="status"></p>
      {tasks.length === 0 ? (
        <p>{t('field:work.empty')}</p>
      ) : (
        <ul class="tasks" aria-label={t('field:work.listLabel')}>
          {tasks.map((task) => (
            <li class={task.overdue ? 'card overdue' : 'card'} data-testid="field-task">
              <h2>
                <a href={`/field/tasks/${task.id}`}>{t(`field:reasons.${task.reason}`)}</a>
              </h2>
              <TaskFacts t={t} locale={locale} task={task} />
            </li>
          ))}
        </ul>
      )}
    </FieldShell>
  );
}
