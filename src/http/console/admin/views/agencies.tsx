import type { TFunction } from 'i18next';
import { AGENCY_KINDS } from '../../../../domain/vocabulary.ts';
import { AGENCY_ADDRESS_MAX, AGENCY_EMAIL_MAX, AGENCY_NAME_MAX, AGENCY_PHONE_MAX, AGENCY_SERVICES_MAX, type Agency } from '../../../../services/referrals/agencies.ts';
import type { Kecamatan } from '../../../../services/areas.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import { ErrorBox } from './fields.tsx';
import { ListPage } from './list-page.tsx';

// The referral agencies page (issue 19): every agency and LKS with its kind, area and contact, how often it
// was referred to, and the form to add one; a page per agency to change it. Deactivate instead of delete:
// referrals keep naming an agency after the office stops working with it.

/** The form as typed: kept on a refusal so nothing has to be typed twice. */
export interface AgencyDraft {
  name: string;
  kind: string;
  kecamatan: string;
  services: string;
  phone: string;
  email: string;
  address: string;
}

export const emptyAgencyDraft = (actor: { kecamatanId: number | null }): AgencyDraft => ({
  name: '',
  kind: '',
  kecamatan: actor.kecamatanId !== null ? String(actor.kecamatanId) : '',
  services: '',
  phone: '',
  email: '',
  address: '',
});

function AgencyForm(p: { t: TFunction; session: Session; action: string; draft: AgencyDraft; areas: Kecamatan[]; submit: string; idPrefix: string }) {
  const { t, draft, idPrefix: id } = p;
  const cityWide = p.session.actor.kecamatanId === null;
  const offered = cityWide ? p.areas : p.areas.filter((a) => a.id === p.session.actor.kecamatanId);
  return (
    <form method="post" action={p.action}>
      <Csrf session={p.session} />
      <div class="field">
        <label for={`${id}-name`}>{t('referrals:agencies.name')}</label>
        <input id={`${id}-name`} name="name" required maxlength={AGENCY_NAME_MAX} value={draft.name} />
      </div>
      <div class="field">
        <label for={`${id}-kind`}>{t('referrals:agencies.kind')}</label>
        <select id={`${id}-kind`} name="kind" required>
          <option value="">—</option>
          {AGENCY_KINDS.map((k) => (
            <option value={k} selected={draft.kind === k}>
              {t(`referrals:kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-kecamatan`}>{t('referrals:agencies.kecamatan')}</label>
        <select id={`${id}-kecamatan`} name="kecamatan">
          {cityWide ? <option value="">{t('referrals:agencies.cityWide')}</option> : null}
          {offered.map((a) => (
            <option value={String(a.id)} selected={draft.kecamatan === String(a.id)}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-services`}>{t('referrals:agencies.services')}</label>
        <textarea id={`${id}-services`} name="services" rows={2} maxlength={AGENCY_SERVICES_MAX} aria-describedby={`${id}-services-hint`}>
          {draft.services}
        </textarea>
        <p class="meta" id={`${id}-services-hint`}>
          {t('referrals:agencies.servicesHint')}
        </p>
      </div>
      <div class="field">
        <label for={`${id}-phone`}>{t('referrals:agencies.phone')}</label>
        <input id={`${id}-phone`} name="phone" type="tel" maxlength={AGENCY_PHONE_MAX} value={draft.phone} aria-describedby={`${id}-phone-hint`} />
        <p class="meta" id={`${id}-phone-hint`}>
          {t('referrals:agencies.phoneHint')}
        </p>
      </div>
      <div class="field">
        <label for={`${id}-email`}>{t('referrals:agencies.email')}</label>
        <input id={`${id}-email`} name="email" type="email" maxlength={AGENCY_EMAIL_MAX} value={draft.email} />
      </div>
      <div class="field">
        <label for={`${id}-address`}>{t('referrals:agencies.address')}</label>
        <textarea id={`${id}-address`} name="address" rows={2} maxlength={AGENCY_ADDRESS_MAX}>
          {draft.address}
        </textarea>
      </div>
      <button class="primary" type="submit">
        {p.submit}
      </button>
    </form>
  );
}

export interface AgenciesListProps {
  t: TFunction;
  session: Session;
  agencies: Agency[];
  areas: Kecamatan[];
  /** The ids this admin may change (their kecamatan's; every one for a city-wide admin). */
  changeable: Set<number>;
  draft: AgencyDraft;
  done?: string | undefined;
  errors?: string[] | undefined;
}

export function AgenciesList(p: AgenciesListProps) {
  const { t, session } = p;
  return (
    <ListPage
      intro={<p>{t('referrals:agencies.intro')}</p>}
      done={p.done}
      errors={p.errors}
      rows={
        p.agencies.length === 0 ? (
          <p>{t('referrals:agencies.empty')}</p>
        ) : (
          <table data-testid="agencies">
            <caption>{t('referrals:agencies.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('referrals:agencies.name')}</th>
                <th scope="col">{t('referrals:agencies.kind')}</th>
                <th scope="col">{t('referrals:agencies.kecamatan')}</th>
                <th scope="col">{t('referrals:agencies.phone')}</th>
                <th scope="col">{t('referrals:agencies.status')}</th>
                <th scope="col">{t('referrals:agencies.referrals')}</th>
                <th scope="col">{t('referrals:agencies.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {p.agencies.map((a) => (
                <tr data-agency={String(a.id)}>
                  <td>
                    {a.name}
                    {a.services ? <div class="meta">{a.services}</div> : null}
                  </td>
                  <td>{t(`referrals:kinds.${a.kind}`)}</td>
                  <td>{a.kecamatanName ?? t('referrals:agencies.cityWide')}</td>
                  <td>{a.phone ?? '—'}</td>
                  <td data-active={String(a.active)}>{a.active ? t('referrals:agencies.active') : t('referrals:agencies.inactive')}</td>
                  <td>{String(a.referrals)}</td>
                  <td class="actions">
                    {p.changeable.has(a.id) ? (
                      <>
                        <a href={`/console/admin/agencies/${a.id}`}>{t('referrals:agencies.edit')}</a>
                        <PostButton
                          session={session}
                          action={`/console/admin/agencies/${a.id}/${a.active ? 'deactivate' : 'reactivate'}`}
                          label={a.active ? t('referrals:agencies.deactivate') : t('referrals:agencies.reactivate')}
                        />
                      </>
                    ) : (
                      <span class="meta">{t('referrals:agencies.readOnly')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
      create={{
        id: 'h-new-agency',
        title: t('referrals:agencies.create'),
        form: <AgencyForm t={t} session={session} action="/console/admin/agencies" draft={p.draft} areas={p.areas} submit={t('referrals:agencies.add')} idPrefix="ag-new" />,
      }}
    />
  );
}

export function AgencyEdit(p: { t: TFunction; session: Session; id: number; draft: AgencyDraft; areas: Kecamatan[]; errors: string[] }) {
  return (
    <>
      {p.errors.map((e) => (
        <ErrorBox text={e} />
      ))}
      <section class="card">
        <AgencyForm t={p.t} session={p.session} action={`/console/admin/agencies/${p.id}`} draft={p.draft} areas={p.areas} submit={p.t('referrals:agencies.save')} idPrefix="ag-edit" />
      </section>
    </>
  );
}
