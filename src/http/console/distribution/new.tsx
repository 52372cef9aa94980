import { Hono } from 'hono';
import { todayIn } from '../../../domain/dates.ts';
import { programChoices } from '../../../services/distribution/console-options.ts';
import { createEvent, type SlotInput } from '../../../services/distribution/events.ts';
import { listSites } from '../../../services/distribution/sites.ts';
import type { AppDeps } from '../../context.ts';
import { Csrf, Shell } from '../shell/layout.tsx';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { forbidden, formFields, mayManage, NS, refusalText, serviceOpts, tOf } from './shared.tsx';

// Creating a distribution event: program, tranche, title, day, and up to six slots (site, start, end,
// capacity). The service checks everything before writing; a refusal shows the form again as it was typed.

export const MAX_SLOT_ROWS = 6;

interface SlotDraft {
  site: string;
  start: string;
  end: string;
  capacity: string;
}

interface EventDraft {
  program: string;
  tranche: string;
  title: string;
  date: string;
  slots: SlotDraft[];
}

const emptySlot = (): SlotDraft => ({ site: '', start: '', end: '', capacity: '' });

function draftOf(f: Record<string, string>): EventDraft {
  return {
    program: f.program ?? '',
    tranche: f.tranche ?? '',
    title: f.title ?? '',
    date: f.date ?? '',
    slots: Array.from({ length: MAX_SLOT_ROWS }, (_, i) => ({
      site: f[`site${i}`] ?? '',
      start: f[`start${i}`] ?? '',
      end: f[`end${i}`] ?? '',
      capacity: f[`capacity${i}`] ?? '',
    })),
  };
}

/** Rows left blank are skipped; a row half filled is sent as it is, so the service can say what is wrong. */
function slotsOf(d: EventDraft): SlotInput[] {
  return d.slots
    .filter((s) => s.site !== '' || s.start !== '' || s.end !== '' || s.capacity !== '')
    .map((s) => ({ siteId: Number(s.site), start: s.start.trim(), end: s.end.trim(), capacity: s.capacity.trim() === '' ? NaN : Number(s.capacity) }));
}

export function newEventRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const page = async (c: ConsoleContext, draft: EventDraft, error?: string) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const [programs, sites] = await Promise.all([programChoices(db, session.actor), listSites(db, session.actor)]);
    const today = todayIn(deps.timeZone, deps.clock());
    return c.html(
      <Shell t={t} locale={c.get('locale')} title={t(`${NS}:new.title`)} session={session} here="/console/distribution/new">
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
              <label for="ev-date">{t(`${NS}:new.date`)}</label>
              <input id="ev-date" name="date" type="date" value={draft.date} min={today} required />
            </div>
          </div>
          <h2>{t(`${NS}:new.slots`)}</h2>
          <p class="meta">{t(`${NS}:new.slotsHint`, { max: MAX_SLOT_ROWS })}</p>
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
              {draft.slots.map((s, i) => (
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
          <p>
            <button class="primary" type="submit">
              {t(`${NS}:new.save`)}
            </button>
          </p>
        </form>
      </Shell>,
      error ? 422 : 200,
    );
  };

  app.get('/console/distribution/new', guard, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    return page(c, { program: '', tranche: '', title: '', date: '', slots: Array.from({ length: MAX_SLOT_ROWS }, emptySlot) });
  });

  app.post('/console/distribution/new', guard, csrf, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const draft = draftOf(await formFields(c));
    const slots = slotsOf(draft);
    if (slots.length === 0) return page(c, draft, 'no_slots');
    const r = await createEvent(db, c.get('session').actor, { programId: Number(draft.program), tranche: draft.tranche, title: draft.title, date: draft.date, slots }, serviceOpts(deps));
    if (!r.ok) return page(c, draft, r.reason === 'invalid_input' && r.detail ? `input_${r.detail}` : r.reason);
    return c.redirect(`/console/distribution/${r.eventId}?done=created`, 303);
  });

  return app;
}
