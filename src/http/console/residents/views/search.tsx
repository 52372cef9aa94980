import type { ResidentHit, SearchRefusal } from '../../../../services/residents/search.ts';
import { formatTime } from '../../../../domain/dates.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { householdPath, RESIDENTS_PATH, type PageContext } from './context.ts';

// The resident lookup's search: one box for a NIK, a KK number or a name, and the masked matches, each
// leading to the reason form of its household. The form posts (with CSRF) so what was typed never sits in
// a URL, a browser history or a proxy's log.

export interface SearchOutcome {
  hits: ResidentHit[];
  more: boolean;
  max: number;
}

export interface SearchPageProps {
  page: PageContext;
  query?: string;
  outcome?: SearchOutcome;
  error?: { reason: SearchRefusal; until?: Date };
}

export function SearchPage({ page, query = '', outcome, error }: SearchPageProps) {
  const { t, session } = page;
  return (
    <Shell t={t} locale={page.locale} title={t('residents:title')} session={session} here={RESIDENTS_PATH}>
      <h1>{t('residents:title')}</h1>
      <p>{t('residents:intro')}</p>
      {error ? (
        <p class="error" role="alert">
          {error.reason === 'rate_limited' && error.until ? t('residents:errors.rate_limited', { time: formatTime(error.until, page.locale, page.timeZone) }) : t(`residents:errors.${error.reason}`)}
        </p>
      ) : null}
      <form method="post" action={RESIDENTS_PATH} class="card" role="search">
        <Csrf session={session} />
        <div class="field">
          <label for="q">{t('residents:search.label')}</label>
          <input id="q" name="q" type="search" value={query} required minlength={3} maxlength={100} autocomplete="off" spellcheck={false} aria-describedby="q-hint" />
          <p id="q-hint" class="meta">
            {t('residents:search.hint')}
          </p>
        </div>
        <button class="primary" type="submit">
          {t('residents:search.submit')}
        </button>
      </form>
      {outcome ? <Results page={page} outcome={outcome} /> : null}
    </Shell>
  );
}

function Results({ page, outcome }: { page: PageContext; outcome: SearchOutcome }) {
  const { t } = page;
  if (outcome.hits.length === 0) {
    return (
      <p class="notice" role="status">
        {t('residents:search.none')}
      </p>
    );
  }
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading">
        {t('residents:search.results', { count: outcome.hits.length })}
      </h2>
      {outcome.more ? <p class="warn">{t('residents:search.more', { max: outcome.max })}</p> : null}
      <table data-testid="resident-hits">
        <caption>{t('residents:search.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('residents:search.name')}</th>
            <th scope="col">{t('residents:search.nik')}</th>
            <th scope="col">{t('residents:search.relationship')}</th>
            <th scope="col">{t('residents:search.kk')}</th>
            <th scope="col">{t('residents:search.kelurahan')}</th>
            <th scope="col">{t('residents:search.open')}</th>
          </tr>
        </thead>
        <tbody>
          {outcome.hits.map((h) => (
            <tr>
              <td>
                {h.maskedName}
                {h.deceased ? ` (${t('residents:search.deceased')})` : ''}
              </td>
              <td>{h.maskedNik}</td>
              <td>{t(`residents:relationships.${h.relationship}`)}</td>
              <td>{h.maskedKk}</td>
              <td>{h.kelurahan}</td>
              <td>
                {/* The masked name in the link's accessible name tells the rows apart for a screen reader. */}
                <a href={householdPath(h.householdId)} aria-label={`${t('residents:search.openHousehold')}: ${h.maskedName}`}>
                  {t('residents:search.openHousehold')}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The lookup for a role without 'residents.read'. */
export function ResidentsForbiddenPage({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={t('residents:forbidden')} session={page.session} here={RESIDENTS_PATH}>
      <h1>{t('residents:forbidden')}</h1>
    </Shell>
  );
}

/** A household that does not exist, or not for this officer (another kecamatan): the same page. */
export function HouseholdNotFoundPage({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={t('residents:notFound')} session={page.session} here={RESIDENTS_PATH}>
      <h1>{t('residents:notFound')}</h1>
      <p>
        <a href={RESIDENTS_PATH}>{t('residents:back')}</a>
      </p>
    </Shell>
  );
}
