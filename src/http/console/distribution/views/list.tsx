import type { TFunction } from 'i18next';
import type { AreaChoice } from '../../../../services/distribution/console-options.ts';
import type { EventListRow } from '../../../../services/distribution/event-list.ts';
import type { SiteRow } from '../../../../services/distribution/sites.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { dayText, NS, refusalText, type PageContext } from './page.tsx';

// The distribution home, from what its route loaded: the events in the person's area, the sites, and for
// whoever manages distributions the link to a new event and the form for a new site.

export interface SiteDraft {
  kecamatanId: string;
  kelurahanId: string;
  name: string;
  address: string;
  latitude: string;
  longitude: string;
}

export const EMPTY: SiteDraft = { kecamatanId: '', kelurahanId: '', name: '', address: '', latitude: '', longitude: '' };

export interface ListPageProps {
  page: PageContext;
  /** The person may manage distributions (the links and forms are shown). */
  manage: boolean;
  events: EventListRow[];
  sites: SiteRow[];
  areas: AreaChoice[];
  opts: { error?: string; draft?: SiteDraft; done?: boolean };
}

export function DistributionListPage({ page, manage, events, sites, areas, opts }: ListPageProps) {
  const { t, locale, session } = page;
  return (
    <Shell t={t} locale={locale} title={t(`${NS}:list.title`)} session={session} here="/console/distribution">
      <h1>{t(`${NS}:list.title`)}</h1>
      {opts.done ? (
        <p class="notice" role="status">
          {t(`${NS}:list.siteCreated`)}
        </p>
      ) : null}
      {opts.error ? (
        <p class="error" role="alert">
          {refusalText(t, opts.error)}
        </p>
      ) : null}
      <section class="card" aria-labelledby="h-events">
        <h2 id="h-events">{t(`${NS}:list.events`)}</h2>
        {manage ? (
          <p>
            <a href="/console/distribution/new">{t(`${NS}:list.create`)}</a>
          </p>
        ) : null}
        {events.length === 0 ? (
          <p class="meta">{t(`${NS}:list.noEvents`)}</p>
        ) : (
          <table data-testid="events">
            <thead>
              <tr>
                <th scope="col">{t(`${NS}:list.date`)}</th>
                <th scope="col">{t(`${NS}:list.eventTitle`)}</th>
                <th scope="col">{t(`${NS}:list.program`)}</th>
                <th scope="col">{t(`${NS}:list.status`)}</th>
                <th scope="col">{t(`${NS}:list.seats`)}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td>{dayText(e.eventDate, locale)}</td>
                  <td>
                    <a href={`/console/distribution/${e.id}`}>{e.title}</a>
                    <div class="meta">{e.tranche}</div>
                  </td>
                  <td>{e.programName}</td>
                  <td>{t(`${NS}:status.${e.status}`)}</td>
                  <td>{t(`${NS}:list.seatsValue`, { booked: e.booked, capacity: e.capacity })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <SitesCard t={t} page={page} manage={manage} sites={sites} areas={areas} draft={opts.draft ?? EMPTY} />
    </Shell>
  );
}

function SitesCard({ t, page, manage, sites, areas, draft: d }: { t: TFunction; page: PageContext; manage: boolean; sites: SiteRow[]; areas: AreaChoice[]; draft: SiteDraft }) {
  const kecName = new Map(areas.map((a) => [a.kecamatanId, a.kecamatan]));
  const kelName = new Map(areas.flatMap((a) => a.kelurahan.map((k) => [k.id, k.name] as const)));
  return (
    <section class="card" aria-labelledby="h-sites">
      <h2 id="h-sites">{t(`${NS}:sites.title`)}</h2>
      {sites.length === 0 ? (
        <p class="meta">{t(`${NS}:sites.none`)}</p>
      ) : (
        <table data-testid="sites">
          <thead>
            <tr>
              <th scope="col">{t(`${NS}:sites.name`)}</th>
              <th scope="col">{t(`${NS}:sites.address`)}</th>
              <th scope="col">{t(`${NS}:sites.area`)}</th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <tr>
                <td>{s.name}</td>
                <td>{s.address}</td>
                <td>{[s.kelurahanId === null ? null : kelName.get(s.kelurahanId), kecName.get(s.kecamatanId)].filter(Boolean).join(' / ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage ? (
        <form method="post" action="/console/distribution/sites">
          <h3>{t(`${NS}:sites.create`)}</h3>
          <Csrf session={page.session} />
          <div class="filters">
            <div>
              <label for="site-kec">{t(`${NS}:sites.kecamatan`)}</label>
              <select id="site-kec" name="kecamatanId" required>
                {areas.map((a) => (
                  <option value={String(a.kecamatanId)} selected={d.kecamatanId === String(a.kecamatanId)}>
                    {a.kecamatan}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="site-kel">{t(`${NS}:sites.kelurahan`)}</label>
              <select id="site-kel" name="kelurahanId">
                <option value="">{t(`${NS}:sites.noKelurahan`)}</option>
                {areas.map((a) => (
                  <optgroup label={a.kecamatan}>
                    {a.kelurahan.map((k) => (
                      <option value={String(k.id)} selected={d.kelurahanId === String(k.id)}>
                        {k.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
            <div>
              <label for="site-name">{t(`${NS}:sites.name`)}</label>
              <input id="site-name" name="name" value={d.name} maxlength={200} required />
            </div>
            <div>
              <label for="site-address">{t(`${NS}:sites.address`)}</label>
              <input id="site-address" name="address" value={d.address} maxlength={500} required />
            </div>
            <div>
              <label for="site-lat">{t(`${NS}:sites.latitude`)}</label>
              <input id="site-lat" name="latitude" value={d.latitude} inputmode="decimal" size={10} />
            </div>
            <div>
              <label for="site-lng">{t(`${NS}:sites.longitude`)}</label>
              <input id="site-lng" name="longitude" value={d.longitude} inputmode="decimal" size={10} />
            </div>
          </div>
          <p class="meta">{t(`${NS}:sites.coordinatesHint`)}</p>
          <button class="primary" type="submit">
            {t(`${NS}:sites.save`)}
          </button>
        </form>
      ) : null}
    </section>
  );
}
