import type { TFunction } from 'i18next';
import type { SiteRow } from '../../../../services/distribution/sites.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { NS, refusalText, type PageContext } from './page.tsx';

// The form for a new distribution event, as it was typed: program, tranche, title, day, and the slot rows.

export const MAX_SLOT_ROWS = 6;

export interface SlotDraft {
  site: string;
  start: string;
  end: string;
  capacity: string;
}

export interface EventDraft {
  program: string;
  tranche: string;
  title: string;
  titleEn: string;
  date: string;
  slots: SlotDraft[];
}

export interface NewEventPageProps {
  page: PageContext;
  draft: EventDraft;
  programs: { id: number; code: string; name: string }[];
  sites: SiteRow[];
  /** The office's today: no event before it. */
  today: string;
  error: string | undefined;
}

export function NewEventPage({ page, draft, programs, sites, today, error }: NewEventPageProps) {
  const { t, locale, session } = page;
  return (
    <Shell t={t} locale={locale} title={t(`${NS}:new.title`)} session={session} here="/console/distribution/new">
      <p>
        <a href="/console/distribution">← {t(`${NS}:back`)}</a>
      </p>
      <h1>{t(`${NS}:new.title`)}</h1>
      {error ? (
        <p class="error" role="alert">
          {refusalText(t, error)}
        </p>
      ) : null}
      {sites.length === 0 ? <p class="warn">{t(`${NS}:new.noSites`)}</p> : null}
      <form method="post" action="/console/distribution/new" class="card">
        <Csrf session={session} />
        <div class="filters">
          <div>
            <label for="ev-program">{t(`${NS}:new.program`)}</label>
            <select id="ev-program" name="program" required>
              {programs.map((p) => (
                <option value={String(p.id)} selected={draft.program === String(p.id)}>
                  {`${p.name} (${p.code})`}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="ev-tranche">{t(`${NS}:new.tranche`)}</label>
            <input id="ev-tranche" name="tranche" value={draft.tranche} maxlength={100} required placeholder={t(`${NS}:new.tranchePlaceholder`)} />
          </div>
          <div>
            <label for="ev-title">{t(`${NS}:new.eventTitle`)}</label>
            <input id="ev-title" name="title" value={draft.title} maxlength={200} size={40} required />
          </div>
          <div>
            <label for="ev-title-en">{t(`${NS}:new.eventTitleEn`)}</label>
            <input id="ev-title-en" name="titleEn" value={draft.titleEn} maxlength={200} size={40} aria-describedby="ev-title-en-hint" />
            <p id="ev-title-en-hint" class="meta">{t(`${NS}:new.eventTitleEnHint`)}</p>
          </div>
          <div>
            <label for="ev-date">{t(`${NS}:new.date`)}</label>
            <input id="ev-date" name="date" type="date" value={draft.date} min={today} required />
          </div>
        </div>
        <h2>{t(`${NS}:new.slots`)}</h2>
        <p class="meta">{t(`${NS}:new.slotsHint`, { max: MAX_SLOT_ROWS })}</p>
        <SlotRows t={t} slots={draft.slots} sites={sites} />
        <p>
          <button class="primary" type="submit">
            {t(`${NS}:new.save`)}
          </button>
        </p>
      </form>
    </Shell>
  );
}

function SlotRows({ t, slots, sites }: { t: TFunction; slots: SlotDraft[]; sites: SiteRow[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{t(`${NS}:new.site`)}</th>
          <th scope="col">{t(`${NS}:new.start`)}</th>
          <th scope="col">{t(`${NS}:new.end`)}</th>
          <th scope="col">{t(`${NS}:new.capacity`)}</th>
        </tr>
      </thead>
      <tbody>
        {slots.map((s, i) => (
          <tr>
            <th scope="row">{i + 1}</th>
            <td>
              <select name={`site${i}`} aria-label={t(`${NS}:new.siteOf`, { n: i + 1 })}>
                <option value="">—</option>
                {sites.map((site) => (
                  <option value={String(site.id)} selected={s.site === String(site.id)}>
                    {site.name}
                  </option>
                ))}
              </select>
            </td>
            <td>
              <input name={`start${i}`} type="time" value={s.start} aria-label={t(`${NS}:new.startOf`, { n: i + 1 })} />
            </td>
            <td>
              <input name={`end${i}`} type="time" value={s.end} aria-label={t(`${NS}:new.endOf`, { n: i + 1 })} />
            </td>
            <td>
              <input name={`capacity${i}`} type="number" min={1} max={100000} value={s.capacity} size={6} aria-label={t(`${NS}:new.capacityOf`, { n: i + 1 })} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
