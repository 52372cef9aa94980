import { MAX_NOTE, OPEN_REASONS, type HouseholdHeading, type OpenRefusal } from '../../../../services/residents/open.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { householdPath, RESIDENTS_PATH, type PageContext } from './context.ts';

// Before a household's page: why the officer opens it. One short list and an optional note; the choice is
// what the audit log keeps (services/residents/open.ts).

export interface ReasonPageProps {
  page: PageContext;
  household: HouseholdHeading;
  reason?: string;
  note?: string;
  error?: OpenRefusal;
}

export function ReasonPage({ page, household, reason = '', note = '', error }: ReasonPageProps) {
  const { t, session } = page;
  const path = householdPath(household.id);
  return (
    <Shell t={t} locale={page.locale} title={t('residents:reason.title')} session={session} here={path}>
      <h1>{t('residents:reason.title')}</h1>
      <p>{t('residents:reason.intro')}</p>
      <p>{t('residents:reason.family', { kk: household.maskedKk, kelurahan: household.kelurahan, kecamatan: household.kecamatan })}</p>
      {error ? (
        <p class="error" role="alert">
          {t(`residents:errors.${error}`)}
        </p>
      ) : null}
      <form method="post" action={`${path}/open`} class="card">
        <Csrf session={session} />
        <div class="field">
          <label for="reason">{t('residents:reason.label')}</label>
          <select id="reason" name="reason" required>
            <option value="" selected={reason === ''}>
              {t('residents:reason.choose')}
            </option>
            {OPEN_REASONS.map((r) => (
              <option value={r} selected={reason === r}>
                {t(`residents:reasons.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="note">{t('residents:reason.note')}</label>
          <input id="note" name="note" value={note} maxlength={MAX_NOTE} autocomplete="off" aria-describedby="note-hint" />
          <p id="note-hint" class="meta">
            {t('residents:reason.noteHint')}
          </p>
        </div>
        <div class="actions">
          <button class="primary" type="submit">
            {t('residents:reason.submit')}
          </button>
          <a href={RESIDENTS_PATH}>{t('residents:reason.cancel')}</a>
        </div>
      </form>
    </Shell>
  );
}
