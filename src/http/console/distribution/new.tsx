import { Hono } from 'hono';
import { todayIn } from '../../../domain/dates.ts';
import { programChoices } from '../../../services/distribution/console-options.ts';
import { createEvent, type SlotInput } from '../../../services/distribution/events.ts';
import { listSites } from '../../../services/distribution/sites.ts';
import type { AppDeps } from '../../context.ts';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../shell/session.ts';
import { forbidden, formFields, mayManage, pageOf, serviceOpts } from './shared.tsx';
import { MAX_SLOT_ROWS, NewEventPage, type EventDraft, type SlotDraft } from './views/new.tsx';

// Creating a distribution event: program, tranche, title, day, and up to six slots (site, start, end,
// capacity). The service checks everything before writing; a refusal shows the form again as it was typed.

const emptySlot = (): SlotDraft => ({ site: '', start: '', end: '', capacity: '' });

function draftOf(f: Record<string, string>): EventDraft {
  return {
    program: f.program ?? '',
    tranche: f.tranche ?? '',
    title: f.title ?? '',
    titleEn: f.titleEn ?? '',
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
    const session = c.get('session');
    const [programs, sites] = await Promise.all([programChoices(db, session.actor), listSites(db, session.actor)]);
    const today = todayIn(deps.timeZone, deps.clock());
    return c.html(<NewEventPage page={pageOf(deps, c)} draft={draft} programs={programs} sites={sites} today={today} error={error} />, error ? 422 : 200);
  };

  app.get('/console/distribution/new', guard, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    return page(c, { program: '', tranche: '', title: '', titleEn: '', date: '', slots: Array.from({ length: MAX_SLOT_ROWS }, emptySlot) });
  });

  app.post('/console/distribution/new', guard, csrf, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const draft = draftOf(await formFields(c));
    const slots = slotsOf(draft);
    if (slots.length === 0) return page(c, draft, 'no_slots');
    const r = await createEvent(db, c.get('session').actor, { programId: Number(draft.program), tranche: draft.tranche, title: draft.title, titleEn: draft.titleEn, date: draft.date, slots }, serviceOpts(deps));
    if (!r.ok) return page(c, draft, r.reason === 'invalid_input' && r.detail ? `input_${r.detail}` : r.reason);
    return c.redirect(`/console/distribution/${r.eventId}?done=created`, 303);
  });

  return app;
}
