import { Hono } from 'hono';
import { areaChoices } from '../../../services/distribution/console-options.ts';
import { listEvents } from '../../../services/distribution/event-list.ts';
import { createSite, listSites } from '../../../services/distribution/sites.ts';
import type { AppDeps } from '../../context.ts';
import { Csrf, Shell } from '../shell/layout.tsx';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { dayText, forbidden, formFields, mayManage, mayRead, NS, refusalText, serviceOpts, tOf } from './shared.tsx';

// The distribution home: every event in the person's area (date, program, status, seats booked) and the
// sites events can use. Supervisors and admins create sites here; viewers and field officers only read.

interface SiteDraft {
  kecamatanId: string;
  kelurahanId: string;
  name: string;
  address: string;
  latitude: string;
  longitude: string;
}

const EMPTY: SiteDraft = { kecamatanId: '', kelurahanId: '', name: '', address: '', latitude: '', longitude: '' };

export function listRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const page = async (c: ConsoleContext, opts: { error?: string; draft?: SiteDraft; done?: boolean } = {}) => {
    const t = tOf(deps, c);
    const locale = c.get('locale');
    const session = c.get('session');
    const actor = session.actor;
    const manage = mayManage(c);
    const [events, siteRows, areas] = await Promise.all([listEvents(db, actor, { limit: 200 }), listSites(db, actor), areaChoices(db, actor)]);
    const kecName = new Map(areas.map((a) => [a.kecamatanId, a.kecamatan]));
    const kelName = new Map(areas.flatMap((a) => a.kelurahan.map((k) => [k.id, k.name] as const)));
    const d = opts.draft ?? EMPTY;
    return c.html(
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

        <section class="card" aria-labelledby="h-sites">
          <h2 id="h-sites">{t(`${NS}:sites.title`)}</h2>
          {siteRows.length === 0 ? (
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
                {siteRows.map((s) => (
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
              <Csrf session={session} />
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
      </Shell>,
      opts.error ? 422 : 200,
    );
  };

  app.get('/console/distribution', guard, async (c) => {
    if (!mayRead(c)) return forbidden(deps, c);
    return page(c, { done: c.req.query('done') === 'site' });
  });

  app.post('/console/distribution/sites', guard, csrf, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const f = await formFields(c);
    const draft: SiteDraft = {
      kecamatanId: f.kecamatanId ?? '',
      kelurahanId: f.kelurahanId ?? '',
      name: f.name ?? '',
      address: f.address ?? '',
      latitude: f.latitude ?? '',
      longitude: f.longitude ?? '',
    };
    const num = (s: string) => (s.trim() === '' ? null : Number(s.trim().replace(',', '.')));
    const r = await createSite(
      db,
      c.get('session').actor,
      {
        kecamatanId: Number(draft.kecamatanId),
        kelurahanId: draft.kelurahanId === '' ? null : Number(draft.kelurahanId),
        name: draft.name,
        address: draft.address,
        latitude: num(draft.latitude),
        longitude: num(draft.longitude),
      },
      { now: serviceOpts(deps).now },
    );
    if (!r.ok) return page(c, { error: r.detail === 'coordinates' ? 'coordinates' : r.detail === 'name_or_address' ? 'site_name_or_address' : r.reason, draft });
    return c.redirect('/console/distribution?done=site', 303);
  });

  return app;
}
