import type { TFunction } from 'i18next';
import { formatDateTime } from '../../../domain/dates.ts';
import { FIELD_OUTCOMES, type Locale } from '../../../domain/vocabulary.ts';
import type { AreaInScope } from '../../../services/areas.ts';
import { itemLabel, MAX_VISIT_NOTE, type ChecklistItem, type FieldTaskView } from '../../../services/field/index.ts';
import type { Session } from '../../../services/staff/sessions.ts';
import { Csrf } from '../../console/shell/layout.tsx';
import type { TypedVisit } from '../visit-form.ts';
import { FieldShell, TaskFacts } from './tasks.tsx';

// One task and its visit form. Without a script it is a plain multipart form that posts and redirects: every
// part is shown (the "if moved" and "if deceased" parts say so in their legend), the time of the visit is
// the server's and the form's clientKey is made here, so a form sent twice is still one visit. With the
// script (field.js), the parts follow the chosen outcome, the GPS button works, every change is kept on the
// phone as a draft and a visit that cannot be sent waits in the phone's queue.

export interface TaskPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  task: FieldTaskView;
  checklist: readonly ChecklistItem[];
  /** The city's kelurahan, for "moved to" (optional: a move out of the city has none). */
  areas: AreaInScope[];
  typed: TypedVisit;
  /** The service's refusal, in words, shown above the form (role=alert). */
  error?: string;
  maxPhotos: number;
  today: string;
}

export function TaskPage({ t, locale, timeZone, session, task, checklist, areas, typed, error, maxPhotos, today }: TaskPageProps) {
  // A visit is recorded once: after it, the task waits for the supervisor (visited) or is over (done, cancelled).
  const open = task.status === 'open';
  const askMember = task.memberId === null && task.members.length > 0;
  return (
    <FieldShell t={t} locale={locale} session={session} title={t(`field:reasons.${task.reason}`)} here={`/field/tasks/${task.id}`}>
      <p>
        <a href="/field">{t('field:task.back')}</a>
      </p>
      <h1>{t(`field:reasons.${task.reason}`)}</h1>
      <section class="card" aria-label={t('field:task.facts')}>
        <TaskFacts t={t} locale={locale} task={task} />
        {task.lastVisit ? (
          <p>
            {t('field:work.lastVisit')}: {t(`field:outcomes.${task.lastVisit.outcome}`)} · {formatDateTime(task.lastVisit.visitedAt, locale, timeZone)}
          </p>
        ) : null}
        {task.lastVisit?.review === 'rejected' ? (
          // Why the supervisor sent the task back: the worker goes again knowing what to look for.
          <p class="warn" data-testid="rejected-note">
            {t('field:task.rejected', { note: task.lastVisit.reviewNote ?? '' })}
          </p>
        ) : null}
      </section>
      <p class="status" id="field-status" role="status"></p>
      {!open ? (
        <p class="notice" data-testid="task-closed">
          {task.status === 'visited' ? t('field:statuses.visited') : t('field:task.closed')}
        </p>
      ) : (
        <form
          method="post"
          action={`/field/tasks/${task.id}/visits`}
          enctype="multipart/form-data"
          id="visit-form"
          data-task={String(task.id)}
          data-max-photos={String(maxPhotos)}
          data-too-many={t('field:form.tooManyPhotos', { max: maxPhotos })}
          data-locating={t('field:form.locating')}
          data-accuracy={t('field:form.accuracy', { m: '{m}' })}
          data-location-failed={t('field:form.locationFailed')}
          data-restored={t('field:sync.draftRestored')}
        >
          <h2>{t('field:form.title')}</h2>
          {error ? (
            <p class="error" role="alert" data-testid="visit-error">
              {error}
            </p>
          ) : null}
          <Csrf session={session} />
          <input type="hidden" name="clientKey" value={typed.clientKey} />
          <input type="hidden" name="visitedAt" value={typed.visitedAt} />

          <fieldset>
            <legend>{t('field:form.outcome')}</legend>
            {FIELD_OUTCOMES.map((o) => (
              <label class="choice">
                <input type="radio" name="outcome" value={o} checked={typed.outcome === o} required />
                {t(`field:outcomes.${o}`)}
              </label>
            ))}
          </fieldset>

          <fieldset data-when="moved">
            <legend>{t('field:form.whenMoved')}</legend>
            <label for="movedTo">{t('field:form.movedTo')}</label>
            <p class="hint" id="movedTo-hint">
              {t('field:form.movedToHint')}
            </p>
            <input type="text" id="movedTo" name="movedTo" value={typed.movedTo} maxlength={300} aria-describedby="movedTo-hint" autocomplete="off" />
            <label for="movedKelurahanId">{t('field:form.movedKelurahan')}</label>
            <select id="movedKelurahanId" name="movedKelurahanId">
              <option value="">{t('field:form.movedKelurahanUnknown')}</option>
              {areas.map((k) => (
                <optgroup label={k.name}>
                  {k.kelurahan.map((l) => (
                    <option value={String(l.id)} selected={typed.movedKelurahanId === String(l.id)}>
                      {l.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </fieldset>

          <fieldset data-when="deceased">
            <legend>{t('field:form.whenDeceased')}</legend>
            <label for="diedOn">{t('field:form.diedOn')}</label>
            <input type="date" id="diedOn" name="diedOn" value={typed.diedOn} max={today} />
            {askMember ? (
              <>
                <label for="memberId">{t('field:form.member')}</label>
                <select id="memberId" name="memberId">
                  <option value="">{t('field:form.memberChoose')}</option>
                  {task.members.map((m) => (
                    <option value={String(m.id)} selected={typed.memberId === String(m.id)}>
                      {t('field:form.memberOption', { name: m.nameMasked, relationship: t(`residents:relationships.${m.relationship}`) })}
                    </option>
                  ))}
                </select>
              </>
            ) : null}
          </fieldset>

          {checklist.length > 0 ? (
            <fieldset>
              <legend>{t('field:form.checklist')}</legend>
              {checklist.map((item) => (
                <label class="choice">
                  <input type="checkbox" name={`checklist.${item.key}`} value="1" checked={typed.checklist[item.key] === true} />
                  {itemLabel(item.labels, locale, item.key)}
                </label>
              ))}
            </fieldset>
          ) : null}

          <fieldset>
            <legend>{t('field:form.photos', { max: maxPhotos })}</legend>
            {typed.hadPhotos ? <p class="warn">{t('field:form.photosAgain')}</p> : null}
            <p class="hint" id="photos-hint">
              {t('field:form.photosHint')}
            </p>
            <label for="photos" class="visually-hidden">
              {t('field:form.photos', { max: maxPhotos })}
            </label>
            <input type="file" id="photos" name="photos" accept="image/*" capture="environment" multiple aria-describedby="photos-hint" />
          </fieldset>

          <fieldset>
            <legend>{t('field:form.location')}</legend>
            <input type="hidden" name="latitude" value={typed.latitude} />
            <input type="hidden" name="longitude" value={typed.longitude} />
            <input type="hidden" name="accuracyM" value={typed.accuracyM} />
            {/* Shown by field.js: the Geolocation API needs the script. */}
            <button type="button" class="secondary" id="locate" hidden>
              {t('field:form.locate')}
            </button>
            <p class="hint" id="location-status" role="status">
              {typed.accuracyM !== '' ? t('field:form.accuracy', { m: Math.round(Number(typed.accuracyM)) }) : t('field:form.locationNoScript')}
            </p>
          </fieldset>

          <label for="note">{t('field:form.note')}</label>
          <textarea id="note" name="note" maxlength={MAX_VISIT_NOTE}>
            {typed.note}
          </textarea>

          <p>
            <button type="submit" class="primary">
              {t('field:form.submit')}
            </button>
          </p>
        </form>
      )}
    </FieldShell>
  );
}
