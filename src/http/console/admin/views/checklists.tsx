import type { TFunction } from 'i18next';
import { CHECKLIST_LABEL_MAX, CHECKLIST_POSITION_MAX, type AdminChecklistItem, type Checklist } from '../../../../services/field/checklist-admin.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf } from '../../shell/layout.tsx';
import { ErrorBox, Notice } from './fields.tsx';

// The field checklists page (issue 19): per kind of task, what a worker ticks at the door, in the office's
// order, in both languages, shown or hidden; a form per item to change it and one per kind to add one. No
// delete: visits keep their answers by key, so an item leaves the form by being hidden, and the page says so.

/** One form as typed, kept on a refusal: which form (`key` null is the kind's add form) and its fields. */
export interface ChecklistDraft {
  kind: string;
  key: string | null;
  fields: { key: string; id: string; en: string; position: string; active: boolean };
}

export interface ChecklistsPageProps {
  t: TFunction;
  session: Session;
  checklists: Checklist[];
  /** A city-wide admin: may add and change; a scoped admin reads. */
  mayChange: boolean;
  done?: string | undefined;
  errors?: string[] | undefined;
  draft?: ChecklistDraft | undefined;
}

const nextPosition = (items: AdminChecklistItem[]) => String(Math.min(CHECKLIST_POSITION_MAX, items.reduce((m, i) => Math.max(m, i.position + 1), 0)));

function ItemFields({ t, prefix, fields, withKey }: { t: TFunction; prefix: string; fields: ChecklistDraft['fields']; withKey: boolean }) {
  return (
    <>
      {withKey ? (
        <div class="field">
          <label for={`${prefix}-key`}>{t('checklists:key')}</label>
          <input id={`${prefix}-key`} name="key" required maxlength={41} value={fields.key} aria-describedby={`${prefix}-key-hint`} />
          <p class="meta" id={`${prefix}-key-hint`}>
            {t('checklists:keyHint')}
          </p>
        </div>
      ) : null}
      <div class="field">
        <label for={`${prefix}-id`}>{t('checklists:labelId')}</label>
        <input id={`${prefix}-id`} name="label_id" required maxlength={CHECKLIST_LABEL_MAX} value={fields.id} />
      </div>
      <div class="field">
        <label for={`${prefix}-en`}>{t('checklists:labelEn')}</label>
        <input id={`${prefix}-en`} name="label_en" maxlength={CHECKLIST_LABEL_MAX} value={fields.en} aria-describedby={`${prefix}-en-hint`} />
        <p class="meta" id={`${prefix}-en-hint`}>
          {t('checklists:labelEnHint')}
        </p>
      </div>
      <div class="field">
        <label for={`${prefix}-position`}>{t('checklists:position')}</label>
        <input id={`${prefix}-position`} name="position" type="number" inputmode="numeric" required min={0} max={CHECKLIST_POSITION_MAX} value={fields.position} aria-describedby={`${prefix}-position-hint`} />
        <p class="meta" id={`${prefix}-position-hint`}>
          {t('checklists:positionHint', { max: CHECKLIST_POSITION_MAX })}
        </p>
      </div>
      <div class="field">
        <label>
          <input type="checkbox" name="active" value="1" checked={fields.active} /> {t('checklists:activeLabel')}
        </label>
      </div>
    </>
  );
}

function KindSection({ t, session, list, mayChange, draft }: { t: TFunction; session: Session; list: Checklist; mayChange: boolean; draft: ChecklistDraft | undefined }) {
  const kind = list.kind;
  const mine = (key: string | null) => (draft && draft.kind === kind && draft.key === key ? draft : undefined);
  const addDraft = mine(null);
  return (
    <section class="card" aria-labelledby={`h-checklist-${kind}`} data-checklist={kind}>
      <h2 id={`h-checklist-${kind}`}>{t(`field:reasons.${kind}`)}</h2>
      {list.items.length === 0 ? (
        <p>{t('checklists:empty')}</p>
      ) : (
        <table>
          <caption>{t('checklists:caption', { kind: t(`field:reasons.${kind}`) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('checklists:position')}</th>
              <th scope="col">{t('checklists:key')}</th>
              <th scope="col">{t('checklists:labelId')}</th>
              <th scope="col">{t('checklists:labelEn')}</th>
              <th scope="col">{t('checklists:shown')}</th>
              {mayChange ? <th scope="col">{t('checklists:change')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {list.items.map((item) => {
              const kept = mine(item.key);
              const fields = kept?.fields ?? { key: item.key, id: item.labels.id ?? '', en: item.labels.en ?? '', position: String(item.position), active: item.active };
              const prefix = `ci-${kind}-${item.key}`;
              return (
                <tr data-item={item.key} data-active={String(item.active)}>
                  <td>{item.position}</td>
                  <td>
                    <code>{item.key}</code>
                  </td>
                  <td>{item.labels.id ?? '—'}</td>
                  <td>{item.labels.en ? item.labels.en : <span class="meta">{t('checklists:sameAsId')}</span>}</td>
                  <td>{item.active ? t('checklists:yes') : t('checklists:hidden')}</td>
                  {mayChange ? (
                    <td>
                      <details open={kept !== undefined}>
                        <summary>{t('checklists:editItem', { key: item.key })}</summary>
                        <form method="post" action={`/console/admin/checklists/${kind}/${item.key}`}>
                          <Csrf session={session} />
                          <ItemFields t={t} prefix={prefix} fields={fields} withKey={false} />
                          <button class="primary" type="submit">
                            {t('checklists:save')}
                          </button>
                        </form>
                      </details>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {mayChange ? (
        <details open={addDraft !== undefined}>
          <summary>{t('checklists:add', { kind: t(`field:reasons.${kind}`) })}</summary>
          <form method="post" action={`/console/admin/checklists/${kind}`}>
            <Csrf session={session} />
            <ItemFields t={t} prefix={`ci-${kind}-new`} fields={addDraft?.fields ?? { key: '', id: '', en: '', position: nextPosition(list.items), active: true }} withKey={true} />
            <button class="primary" type="submit">
              {t('checklists:addButton')}
            </button>
          </form>
        </details>
      ) : null}
    </section>
  );
}

export function ChecklistsPage({ t, session, checklists, mayChange, done, errors, draft }: ChecklistsPageProps) {
  return (
    <>
      <p>{t('checklists:intro')}</p>
      <p>{t('checklists:noDelete')}</p>
      {mayChange ? null : <p class="meta">{t('checklists:cityWideOnly')}</p>}
      <Notice text={done} />
      {(errors ?? []).map((e) => (
        <ErrorBox text={e} />
      ))}
      {checklists.map((list) => (
        <KindSection t={t} session={session} list={list} mayChange={mayChange} draft={draft} />
      ))}
    </>
  );
}
