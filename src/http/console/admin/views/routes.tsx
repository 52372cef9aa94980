import type { TFunction } from 'i18next';
import { BIDANG, COMPLAINT_CATEGORIES } from '../../../../domain/vocabulary.ts';
import type { Kecamatan } from '../../../../services/areas.ts';
import type { ComplaintRoute } from '../../../../services/complaints/routes.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import type { ListState } from '../skeleton.ts';
import { areaName } from './fields.tsx';
import { ListPage } from './list-page.tsx';

// The complaint routing page: each route with its bidang to change (or delete, for a kecamatan's own), and
// the form for a new one; only choices within the person's own scope are offered.

export interface RoutesListProps {
  t: TFunction;
  session: Session;
  routes: ComplaintRoute[];
  /** The routes within the person's scope: those they may change. */
  changeable: Set<number>;
  areas: Kecamatan[];
  opts: ListState<never>;
}

export function RoutesList({ t, session, routes, changeable, areas, opts }: RoutesListProps) {
  const actor = session.actor;
  const offeredAreas = actor.kecamatanId === null ? areas : areas.filter((a) => a.id === actor.kecamatanId);
  const offeredBidang = actor.bidang === null ? BIDANG : BIDANG.filter((b) => b === actor.bidang);
  return (
    <ListPage
      intro={<p>{t('admin:routes.intro')}</p>}
      done={opts.done}
      errors={opts.errors}
      rows={<RoutesTable t={t} session={session} routes={routes} changeable={changeable} areas={areas} offeredBidang={offeredBidang} />}
      create={{
        id: 'h-new-route',
        title: t('admin:routes.add.title'),
        hint: t('admin:routes.add.hint'),
        form: (
          <form method="post" action="/console/admin/routes" class="filters">
            <Csrf session={session} />
            <div>
              <label for="r-category">{t('admin:routes.category')}</label>
              <select id="r-category" name="category">
                {COMPLAINT_CATEGORIES.map((k) => (
                  <option value={k}>{t(`console:category.${k}`)}</option>
                ))}
              </select>
            </div>
            <div>
              <label for="r-kecamatan">{t('admin:scope.kecamatan')}</label>
              <select id="r-kecamatan" name="kecamatan">
                {actor.kecamatanId === null ? <option value="">{t('admin:routes.cityDefault')}</option> : null}
                {offeredAreas.map((a) => (
                  <option value={String(a.id)}>{a.name}</option>
                ))}
              </select>
            </div>
            <div>
              <label for="r-bidang">{t('admin:scope.bidang')}</label>
              <select id="r-bidang" name="bidang">
                {offeredBidang.map((b) => (
                  <option value={b}>{b}</option>
                ))}
              </select>
            </div>
            <button type="submit">{t('admin:routes.add.submit')}</button>
          </form>
        ),
      }}
    />
  );
}

function RoutesTable({ t, session, routes, changeable, areas, offeredBidang }: Omit<RoutesListProps, 'opts'> & { offeredBidang: readonly string[] }) {
  return (
    <table data-testid="routes">
      <thead>
        <tr>
          <th>{t('admin:routes.category')}</th>
          <th>{t('admin:scope.kecamatan')}</th>
          <th>{t('admin:scope.bidang')}</th>
          <th>{t('admin:users.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {routes.map((r) => (
          <tr data-route-id={String(r.id)}>
            <td>{t(`console:category.${r.category}`)}</td>
            <td>{r.kecamatanId === null ? <strong>{t('admin:routes.cityDefault')}</strong> : areaName(t, areas, r.kecamatanId)}</td>
            <td>
              {changeable.has(r.id) ? (
                <form method="post" action="/console/admin/routes" class="actions">
                  <Csrf session={session} />
                  <input type="hidden" name="category" value={r.category} />
                  <input type="hidden" name="kecamatan" value={r.kecamatanId === null ? '' : String(r.kecamatanId)} />
                  <select name="bidang" aria-label={t('admin:scope.bidang')}>
                    {offeredBidang.map((b) => (
                      <option value={b} selected={b === r.bidang}>
                        {b}
                      </option>
                    ))}
                  </select>
                  <button class="secondary" type="submit">
                    {t('admin:routes.change')}
                  </button>
                </form>
              ) : (
                // A kecamatan admin sees the city-wide default that applies to them but cannot change it.
                r.bidang
              )}
            </td>
            <td>
              {r.kecamatanId === null ? (
                <span class="meta">{t('admin:routes.defaultKept')}</span>
              ) : !changeable.has(r.id) ? (
                '—'
              ) : (
                <PostButton session={session} action={`/console/admin/routes/${r.id}/delete`} label={t('admin:routes.delete')} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
