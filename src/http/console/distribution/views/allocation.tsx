import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { AllocationPreview, PreviewKelurahan, PreviewSite, SiteComplaints } from '../../../../services/distribution/allocation.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf } from '../../shell/layout.tsx';

// Where the households counted by "Hitung" would be invited, site by site, before anything is sent (the
// services' allocationPreview), with a form on every kelurahan row to send that kelurahan to another site
// (or back to the nearest); and the "site too far" complaints per site, the check on whether it worked.

const AL = 'allocation';

export interface AllocationTableProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  eventId: number;
  /** The preview's area as the invite form carries it ('', 'kec:ID', 'kel:ID'): a move comes back to it. */
  area: string;
  preview: AllocationPreview;
}

export function AllocationTable({ t, locale, session, eventId, area, preview }: AllocationTableProps) {
  const km = (n: number) => t(`${AL}:distanceValue`, { km: n.toLocaleString(locale === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 1 }) });
  const move = (where: string, k: PreviewKelurahan) => (
    <form method="post" action={`/console/distribution/${eventId}/site-areas`} class="filters">
      <Csrf session={session} />
      <input type="hidden" name="kelurahan" value={String(k.id)} />
      <input type="hidden" name="area" value={area} />
      <div>
        <label for={`move-${where}-${k.id}`}>{t(`${AL}:moveTo`)}</label>
        <select id={`move-${where}-${k.id}`} name="site">
          <option value="nearest" selected={k.movedTo === null}>
            {t(`${AL}:nearest`)}
          </option>
          {preview.sites.map((s) => (
            <option value={String(s.siteId)} selected={k.movedTo === s.siteId}>
              {s.siteName}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t(`${AL}:save`)}</button>
    </form>
  );
  const rows = (where: string, list: PreviewKelurahan[], site?: PreviewSite) =>
    list.map((k) => (
      <tr data-kelurahan={String(k.id)}>
        <td>
          {k.name}
          {site && k.movedTo === site.siteId ? <div class="meta">{t(`${AL}:moved`)}</div> : null}
        </td>
        <td>{String(k.households)}</td>
        <td>{k.distanceKm === null ? t(`${AL}:unknownDistance`) : km(k.distanceKm)}</td>
        <td>{move(where, k)}</td>
      </tr>
    ));

  return (
    <section aria-labelledby="h-allocation" id="allocation" data-testid="allocation">
      <h3 id="h-allocation">{t(`${AL}:title`)}</h3>
      <p class="meta">{t(`${AL}:help`)}</p>
      {preview.alreadyInvited > 0 ? <p class="meta">{t(`${AL}:alreadyInvited`, { count: preview.alreadyInvited })}</p> : null}
      {preview.sites.length === 0 ? <p class="warn">{t(`${AL}:noSites`)}</p> : null}
      {preview.sites.map((s) => (
        <table data-site={String(s.siteId)} data-allocated={String(s.allocated)}>
          <caption>
            <strong>{s.siteName}</strong>
            {` · ${s.kecamatan} — `}
            {t(`${AL}:siteSummary`, { allocated: s.allocated, free: s.free })}
          </caption>
          {s.kelurahan.length === 0 ? (
            <tbody>
              <tr>
                <td class="meta">{t(`${AL}:nobodyHere`)}</td>
              </tr>
            </tbody>
          ) : (
            <>
              <thead>
                <tr>
                  <th scope="col">{t(`${AL}:kelurahan`)}</th>
                  <th scope="col">{t(`${AL}:households`)}</th>
                  <th scope="col">{t(`${AL}:distance`)}</th>
                  <th scope="col">{t(`${AL}:moveTo`)}</th>
                </tr>
              </thead>
              <tbody>{rows(String(s.siteId), s.kelurahan, s)}</tbody>
            </>
          )}
        </table>
      ))}
      {preview.withoutRoom.households > 0 ? (
        <table data-site="none" data-allocated={String(preview.withoutRoom.households)}>
          <caption>
            <strong>{t(`${AL}:withoutRoom`)}</strong>
            {' — '}
            <span class="late">{t(`${AL}:withoutRoomSummary`, { count: preview.withoutRoom.households })}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{t(`${AL}:kelurahan`)}</th>
              <th scope="col">{t(`${AL}:households`)}</th>
              <th scope="col">{t(`${AL}:distance`)}</th>
              <th scope="col">{t(`${AL}:moveTo`)}</th>
            </tr>
          </thead>
          <tbody>{rows('none', preview.withoutRoom.kelurahan)}</tbody>
        </table>
      ) : null}
    </section>
  );
}

/** The "site too far" complaints per site of the event (services' siteTooFarCounts). */
export function SiteTooFar({ t, sites }: { t: TFunction; sites: SiteComplaints[] }) {
  if (sites.length === 0) return null;
  return (
    <div data-testid="site-too-far">
      <h3>{t(`${AL}:tooFar.title`)}</h3>
      <p class="meta">{t(`${AL}:tooFar.help`)}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t(`${AL}:site`)}</th>
            <th scope="col">{t(`${AL}:tooFar.count`)}</th>
          </tr>
        </thead>
        <tbody>
          {sites.map((s) => (
            <tr data-site={String(s.siteId)} data-complaints={String(s.complaints)}>
              <td>{s.siteName}</td>
              <td>{String(s.complaints)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
