import { Hono } from 'hono';
import { formatTime as clockTime, zonedParts } from '../../../domain/dates.ts';
import { Forbidden } from '../../../services/access.ts';
import { areaChoices, programChoices, type AreaChoice } from '../../../services/distribution/console-options.ts';
import { listEvents } from '../../../services/distribution/event-list.ts';
import { cancelEvent, changeEvent, getEvent } from '../../../services/distribution/events.ts';
import { inviteHouseholds } from '../../../services/distribution/invite.ts';
import { proxyAttachments, type ProxyAttachmentView } from '../../../services/distribution/proxy-attachments.ts';
import { decideProxy, pendingProxies, type PendingProxy } from '../../../services/distribution/proxies.ts';
import { closeEvent, nextRound } from '../../../services/distribution/rounds.ts';
import { selectRecipients } from '../../../services/distribution/selection.ts';
import { listSites } from '../../../services/distribution/sites.ts';
import type { AppDeps } from '../../context.ts';
import { Csrf, formatTime, Shell } from '../layout.tsx';
import { requireCsrf, requireStaff, type ConsoleContext, type ConsoleEnv } from '../session.ts';
import { ProxyPhoto } from './proxy-attachments.tsx';
import { dayText, forbidden, formFields, mayManage, mayRead, notFound, NS, parseId, refusalText, serviceOpts, tOf } from './shared.tsx';

// One distribution event: its slots and seats, and everything staff do with it — invite households of an
// area (count first with "Hitung", then send), move it, cancel it, close it after the day, summon the
// no-shows to a later event, and decide the kuasa residents asked for. Every action goes through the
// distribution services, which check the role, the area and the event's status; the page only shows what
// they answer. Actions post and redirect; a refusal is shown at once with what was typed kept.

const DONE = ['created', 'invited', 'changed', 'cancelled', 'closed', 'next_round', 'proxy_approved', 'proxy_rejected'] as const;
type Done = (typeof DONE)[number];

type Area = { kecamatanIds?: number[]; kelurahanIds?: number[] };

/** The area select's value: '' (everything in the person's area), 'kec:ID' or 'kel:ID'. */
function parseArea(raw: string | undefined): Area | null {
  if (!raw) return {};
  const m = /^(kec|kel):([1-9]\d{0,9})$/.exec(raw);
  if (!m) return null;
  return m[1] === 'kec' ? { kecamatanIds: [Number(m[2])] } : { kelurahanIds: [Number(m[2])] };
}

interface ShowOptions {
  done?: Done;
  counts?: Record<string, string>;
  error?: string;
  /** The invite preview: how many households the chosen area would invite now. */
  preview?: { area: string; count: number };
  area?: string;
  cancelReason?: string;
  rejectNote?: { proxyId: number; note: string };
  change?: { date: string; slots: Record<string, { start: string; end: string }> };
}

export function eventRoutes(deps: AppDeps) {
  const app = new Hono<ConsoleEnv>();
  const db = deps.database.db;
  const guard = requireStaff(deps);
  const csrf = requireCsrf(deps);

  const show = async (c: ConsoleContext, id: number, opts: ShowOptions = {}, status: 200 | 404 | 422 = 200) => {
    const t = tOf(deps, c);
    const locale = c.get('locale');
    const session = c.get('session');
    const actor = session.actor;
    const event = await getEvent(db, actor, id);
    if (!event) return notFound(deps, c);
    const manage = mayManage(c);
    const open = event.status !== 'cancelled' && event.status !== 'done';
    const [siteRows, areas, proxies, laterEvents] = await Promise.all([
      listSites(db, actor),
      manage && open ? areaChoices(db, actor) : Promise.resolve([] as AreaChoice[]),
      manage && open ? pendingProxies(db, actor, { eventId: id }, { now: deps.clock() }) : Promise.resolve([] as PendingProxy[]),
      manage && event.status === 'done' ? listEvents(db, actor, { statuses: ['planned', 'open', 'moved'], fromDate: event.eventDate, limit: 500 }) : Promise.resolve([]),
    ]);
    // The surat kuasa photos sent with the listed kuasa: what they are and whether they are stored yet.
    const photos = proxies.length > 0 ? await proxyAttachments(db, actor, proxies.map((p) => p.proxyId)) : new Map<number, ProxyAttachmentView[]>();
    const siteName = new Map(siteRows.map((s) => [s.id, s.name]));
    const local = (d: Date) => {
      const p = zonedParts(d, deps.timeZone);
      return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
    };
    const targets = laterEvents.filter((e) => e.id !== event.id && e.eventDate > event.eventDate);
    const program = (await programChoices(db, actor)).find((p) => p.id === event.programId);
    const programName = program?.name ?? '';
    const sameProgram = targets.filter((e) => e.programCode === program?.code);
    const booked = event.slots.reduce((a, s) => a + s.booked, 0);
    const capacity = event.slots.reduce((a, s) => a + s.capacity, 0);
    const area = opts.preview?.area ?? opts.area ?? '';
    const change = opts.change;

    return c.html(
      <Shell t={t} locale={locale} title={event.title} session={session} here={`/console/distribution/${id}`}>
        <p>
          <a href="/console/distribution">← {t(`${NS}:back`)}</a>
        </p>
        <h1 data-testid="event-title">{event.title}</h1>
        {opts.done ? (
          <p class="notice" role="status" data-testid="done">
            {t(`${NS}:done.${opts.done}`, opts.counts ?? {})}
          </p>
        ) : null}
        {opts.error ? (
          <p class="error" role="alert" data-testid="error">
            {refusalText(t, opts.error)}
          </p>
        ) : null}

        <section class="card">
          <dl class="facts">
            <dt>{t(`${NS}:event.program`)}</dt>
            <dd>{programName || '—'}</dd>
            <dt>{t(`${NS}:event.tranche`)}</dt>
            <dd>{event.tranche}</dd>
            <dt>{t(`${NS}:event.date`)}</dt>
            <dd>{dayText(event.eventDate, locale)}</dd>
            <dt>{t(`${NS}:event.status`)}</dt>
            <dd data-testid="event-status">{t(`${NS}:status.${event.status}`)}</dd>
            <dt>{t(`${NS}:event.seats`)}</dt>
            <dd>{t(`${NS}:list.seatsValue`, { booked, capacity })}</dd>
          </dl>
          <p>
            <a href={`/console/distribution/${id}/progress`}>{t(`${NS}:event.progressLink`)}</a>
          </p>
        </section>

        <section class="card" aria-labelledby="h-slots">
          <h2 id="h-slots">{t(`${NS}:event.slots`)}</h2>
          <table data-testid="slots">
            <thead>
              <tr>
                <th scope="col">{t(`${NS}:event.site`)}</th>
                <th scope="col">{t(`${NS}:event.time`)}</th>
                <th scope="col">{t(`${NS}:event.seats`)}</th>
              </tr>
            </thead>
            <tbody>
              {event.slots.map((s) => (
                <tr>
                  <td>{siteName.get(s.siteId) ?? `#${s.siteId}`}</td>
                  <td>{`${clockTime(s.startsAt, locale, deps.timeZone)} – ${clockTime(s.endsAt, locale, deps.timeZone)}`}</td>
                  <td>{t(`${NS}:list.seatsValue`, { booked: s.booked, capacity: s.capacity })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        {manage && open ? (
          <section class="card" aria-labelledby="h-invite" id="invite">
            <h2 id="h-invite">{t(`${NS}:invite.title`)}</h2>
            <p class="meta">{t(`${NS}:invite.help`)}</p>
            {/* Counting changes nothing, so it is a GET; sending is a POST with the same area. */}
            <form method="get" action={`/console/distribution/${id}`} class="filters">
              <div>
                <label for="inv-area">{t(`${NS}:invite.area`)}</label>
                <select id="inv-area" name="area">
                  <option value="">{t(`${NS}:invite.allArea`)}</option>
                  {areas.map((a) => (
                    <optgroup label={a.kecamatan}>
                      <option value={`kec:${a.kecamatanId}`} selected={area === `kec:${a.kecamatanId}`}>
                        {t(`${NS}:invite.wholeKecamatan`, { name: a.kecamatan })}
                      </option>
                      {a.kelurahan.map((k) => (
                        <option value={`kel:${k.id}`} selected={area === `kel:${k.id}`}>
                          {t(`${NS}:invite.kelurahan`, { name: k.name })}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </div>
              <button type="submit" name="preview" value="1">
                {t(`${NS}:invite.count`)}
              </button>
            </form>
            {opts.preview ? (
              <>
                <p class="notice" role="status" data-testid="preview" data-count={String(opts.preview.count)}>
                  {t(`${NS}:invite.preview`, { count: opts.preview.count, free: capacity - booked })}
                </p>
                {opts.preview.count > 0 ? (
                  <form method="post" action={`/console/distribution/${id}/invite`}>
                    <Csrf session={session} />
                    <input type="hidden" name="area" value={opts.preview.area} />
                    <button class="primary" type="submit">
                      {t(`${NS}:invite.send`)}
                    </button>
                  </form>
                ) : null}
              </>
            ) : null}
          </section>
        ) : null}

        {manage ? (
          <section class="card" aria-labelledby="h-lists">
            <h2 id="h-lists">{t(`${NS}:lists.title`)}</h2>
            <ul>
              <li>
                <a href={`/console/distribution/${id}/paper.csv`} download>
                  {t(`${NS}:lists.paper`)}
                </a>
              </li>
              <li>
                <a href={`/console/distribution/${id}/invitations.csv`} download>
                  {t(`${NS}:lists.invitations`)}
                </a>
              </li>
              {event.status === 'done' ? (
                <li>
                  <a href={`/console/distribution/${id}/follow-up`}>{t(`${NS}:lists.followUp`)}</a>
                </li>
              ) : null}
            </ul>
          </section>
        ) : null}

        {manage && proxies.length > 0 ? (
          <section class="card" aria-labelledby="h-proxies">
            <h2 id="h-proxies">{t(`${NS}:proxies.title`)}</h2>
            <table data-testid="proxies">
              <thead>
                <tr>
                  <th scope="col">{t(`${NS}:proxies.code`)}</th>
                  <th scope="col">{t(`${NS}:proxies.household`)}</th>
                  <th scope="col">{t(`${NS}:proxies.proxy`)}</th>
                  <th scope="col">{t(`${NS}:proxies.reason`)}</th>
                  <th scope="col">{t(`${NS}:proxies.decide`)}</th>
                </tr>
              </thead>
              <tbody>
                {proxies.map((p) => (
                  <tr data-proxy={String(p.proxyId)}>
                    <td>{p.code}</td>
                    <td>
                      {p.headName ?? '—'}
                      <div class="meta">{`${p.kelurahan} / ${p.kecamatan}`}</div>
                    </td>
                    <td>
                      {p.proxyName}
                      <div class="meta">{`${t(`${NS}:proxies.nik`)} ${p.proxyNik} · ${t([`${NS}:proxies.relations.${p.relation}`, `${NS}:proxies.relationOther`], { relation: p.relation })}`}</div>
                      <ProxyPhoto t={t} files={photos.get(p.proxyId) ?? []} />
                    </td>
                    <td>
                      {t(`${NS}:proxies.reasons.${p.reason}`)}
                      {p.reasonNote ? <div class="meta text">{p.reasonNote}</div> : null}
                      <div class="meta">{formatTime(p.createdAt, locale, deps.timeZone)}</div>
                    </td>
                    <td>
                      <div class="actions">
                        <form method="post" action={`/console/distribution/${id}/proxies/${p.proxyId}`}>
                          <Csrf session={session} />
                          <input type="hidden" name="decision" value="approve" />
                          <button class="primary" type="submit">
                            {t(`${NS}:proxies.approve`)}
                          </button>
                        </form>
                        <form method="post" action={`/console/distribution/${id}/proxies/${p.proxyId}`}>
                          <Csrf session={session} />
                          <input type="hidden" name="decision" value="reject" />
                          <label for={`note-${p.proxyId}`}>{t(`${NS}:proxies.note`)}</label>
                          <input id={`note-${p.proxyId}`} name="note" maxlength={500} required value={opts.rejectNote?.proxyId === p.proxyId ? opts.rejectNote.note : ''} />
                          <button class="secondary" type="submit">
                            {t(`${NS}:proxies.reject`)}
                          </button>
                        </form>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {photos.size > 0 ? <p class="meta">{t(`${NS}:proxies.photo.note`)}</p> : null}
          </section>
        ) : null}

        {manage && open ? (
          <section class="card" aria-labelledby="h-change">
            <h2 id="h-change">{t(`${NS}:change.title`)}</h2>
            <p class="meta">{t(`${NS}:change.help`)}</p>
            <form method="post" action={`/console/distribution/${id}/change`}>
              <Csrf session={session} />
              <div class="field">
                <label for="ch-date">{t(`${NS}:change.date`)}</label>
                <input id="ch-date" name="date" type="date" value={change?.date ?? event.eventDate} required />
              </div>
              <table>
                <tbody>
                  {event.slots.map((s) => (
                    <tr>
                      <th scope="row">{siteName.get(s.siteId) ?? `#${s.siteId}`}</th>
                      <td>
                        <label for={`ch-start-${s.id}`}>{t(`${NS}:new.start`)}</label>
                        <input id={`ch-start-${s.id}`} name={`start_${s.id}`} type="time" value={change?.slots[s.id]?.start ?? local(s.startsAt)} required />
                      </td>
                      <td>
                        <label for={`ch-end-${s.id}`}>{t(`${NS}:new.end`)}</label>
                        <input id={`ch-end-${s.id}`} name={`end_${s.id}`} type="time" value={change?.slots[s.id]?.end ?? local(s.endsAt)} required />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button class="secondary" type="submit">
                {t(`${NS}:change.save`)}
              </button>
            </form>
          </section>
        ) : null}

        {manage && open ? (
          <section class="card" aria-labelledby="h-close">
            <h2 id="h-close">{t(`${NS}:close.title`)}</h2>
            <p class="meta">{t(`${NS}:close.help`)}</p>
            <form method="post" action={`/console/distribution/${id}/close`}>
              <Csrf session={session} />
              <button class="secondary" type="submit">
                {t(`${NS}:close.button`)}
              </button>
            </form>
          </section>
        ) : null}

        {manage && event.status === 'done' ? (
          <section class="card" aria-labelledby="h-next">
            <h2 id="h-next">{t(`${NS}:nextRound.title`)}</h2>
            <p class="meta">{t(`${NS}:nextRound.help`)}</p>
            {sameProgram.length === 0 ? (
              <p class="warn">{t(`${NS}:nextRound.noTarget`)}</p>
            ) : (
              <form method="post" action={`/console/distribution/${id}/next-round`} class="filters">
                <Csrf session={session} />
                <div>
                  <label for="nr-to">{t(`${NS}:nextRound.target`)}</label>
                  <select id="nr-to" name="to" required>
                    {sameProgram.map((e) => (
                      <option value={String(e.id)}>{`${dayText(e.eventDate, locale)} · ${e.title}`}</option>
                    ))}
                  </select>
                </div>
                <button type="submit">{t(`${NS}:nextRound.button`)}</button>
              </form>
            )}
          </section>
        ) : null}

        {manage && open ? (
          <section class="card" aria-labelledby="h-cancel">
            <h2 id="h-cancel">{t(`${NS}:cancel.title`)}</h2>
            <p class="meta">{t(`${NS}:cancel.help`)}</p>
            <form method="post" action={`/console/distribution/${id}/cancel`}>
              <Csrf session={session} />
              <label for="cancel-reason">{t(`${NS}:cancel.reason`)}</label>
              <textarea id="cancel-reason" name="reason" maxlength={300} required>
                {opts.cancelReason ?? ''}
              </textarea>
              <button class="secondary" type="submit">
                {t(`${NS}:cancel.button`)}
              </button>
            </form>
          </section>
        ) : null}
      </Shell>,
      status,
    );
  };

  app.get('/console/distribution/:id', guard, async (c) => {
    if (!mayRead(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    if (id === null) return notFound(deps, c);
    const done = DONE.find((d) => d === c.req.query('done'));
    const counts: Record<string, string> = {};
    for (const k of ['invited', 'withoutChat', 'full', 'noShows', 'cancelled', 'notified', 'atMax']) {
      const v = c.req.query(k);
      if (v !== undefined && /^\d{1,9}$/.test(v)) counts[k] = v;
    }
    if (c.req.query('preview') && mayManage(c)) {
      const raw = c.req.query('area') ?? '';
      const area = parseArea(raw);
      if (!area) return show(c, id, { error: 'invalid_input' }, 422);
      const r = await selectRecipients(db, c.get('session').actor, { eventId: id, ...area });
      if (!r.ok) return r.reason === 'not_found' ? notFound(deps, c) : show(c, id, { error: r.reason, area: raw }, 422);
      return show(c, id, { preview: { area: raw, count: r.count } });
    }
    return show(c, id, done ? { done, counts } : {});
  });

  /** A POST action: permission, id, the service call, then a redirect (or the page with the refusal). */
  const action = (path: string, run: (c: ConsoleContext, id: number, f: Record<string, string>) => Promise<{ redirect: string } | { refused: string; keep?: ShowOptions }>) =>
    app.post(`/console/distribution/:id/${path}`, guard, csrf, async (c) => {
      if (!mayManage(c)) return forbidden(deps, c);
      const id = parseId(c.req.param('id'));
      if (id === null) return notFound(deps, c);
      let out;
      try {
        out = await run(c, id, await formFields(c));
      } catch (err) {
        if (err instanceof Forbidden) return forbidden(deps, c);
        throw err;
      }
      if ('redirect' in out) return c.redirect(`/console/distribution/${id}?${out.redirect}`, 303);
      if (out.refused === 'not_found') return notFound(deps, c);
      return show(c, id, { error: out.refused, ...out.keep }, 422);
    });

  const actor = (c: ConsoleContext) => c.get('session').actor;

  action('invite', async (c, id, f) => {
    const area = parseArea(f.area);
    if (!area) return { refused: 'invalid_input' };
    // Selected again at sending time: whoever was invited or collected since the count is left out.
    const chosen = await selectRecipients(db, actor(c), { eventId: id, ...area });
    if (!chosen.ok) return { refused: chosen.reason, keep: { area: f.area ?? '' } };
    if (chosen.count === 0) return { refused: 'nobody_to_invite', keep: { area: f.area ?? '' } };
    const r = await inviteHouseholds(db, actor(c), { eventId: id, householdIds: chosen.householdIds }, serviceOpts(deps));
    if (!r.ok) return { refused: r.reason, keep: { area: f.area ?? '' } };
    const full = r.notInvited.filter((n) => n.reason === 'no_capacity').length;
    return { redirect: `done=invited&invited=${r.invited}&withoutChat=${r.withoutChat}&full=${full}` };
  });

  action('change', async (c, id, f) => {
    const event = await getEvent(db, actor(c), id);
    if (!event) return { refused: 'not_found' };
    const local = (d: Date) => {
      const p = zonedParts(d, deps.timeZone);
      return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
    };
    const typed: Record<string, { start: string; end: string }> = {};
    const slots: { slotId: number; start: string; end: string }[] = [];
    for (const s of event.slots) {
      const start = (f[`start_${s.id}`] ?? '').trim() || local(s.startsAt);
      const end = (f[`end_${s.id}`] ?? '').trim() || local(s.endsAt);
      typed[s.id] = { start, end };
      if (start !== local(s.startsAt) || end !== local(s.endsAt)) slots.push({ slotId: s.id, start, end });
    }
    const date = (f.date ?? '').trim();
    const keep = { change: { date, slots: typed } };
    const r = await changeEvent(db, actor(c), { eventId: id, ...(date !== '' && date !== event.eventDate ? { date } : {}), ...(slots.length > 0 ? { slots } : {}) }, serviceOpts(deps));
    if (!r.ok) return { refused: r.reason === 'invalid_input' && r.detail === 'nothing_to_change' ? 'nothing_to_change' : r.reason, keep };
    return { redirect: `done=changed&notified=${r.notifiedHouseholds}` };
  });

  action('cancel', async (c, id, f) => {
    const reason = f.reason ?? '';
    const r = await cancelEvent(db, actor(c), { eventId: id, reason }, serviceOpts(deps));
    if (!r.ok) return { refused: r.reason === 'invalid_input' ? 'cancel_reason' : r.reason, keep: { cancelReason: reason } };
    return { redirect: `done=cancelled&cancelled=${r.cancelledInvitations}&notified=${r.notifiedHouseholds}` };
  });

  action('close', async (c, id) => {
    const r = await closeEvent(db, actor(c), id, serviceOpts(deps));
    if (!r.ok) return { refused: r.detail === 'before_event_date' ? 'before_event_date' : r.reason };
    return { redirect: `done=closed&noShows=${r.noShows}` };
  });

  action('next-round', async (c, id, f) => {
    const to = parseId(f.to);
    if (to === null) return { refused: 'invalid_input' };
    const r = await nextRound(db, actor(c), { fromEventId: id, toEventId: to }, serviceOpts(deps));
    if (!r.ok) return { refused: r.reason === 'not_found' ? 'target_not_found' : r.detail ? `round_${r.detail}` : r.reason };
    const full = r.notInvited.filter((n) => n.reason === 'no_capacity').length;
    return { redirect: `done=next_round&invited=${r.invited}&withoutChat=${r.withoutChat}&full=${full}&atMax=${r.atMaxRound}` };
  });

  app.post('/console/distribution/:id/proxies/:proxyId', guard, csrf, async (c) => {
    if (!mayManage(c)) return forbidden(deps, c);
    const id = parseId(c.req.param('id'));
    const proxyId = parseId(c.req.param('proxyId'));
    if (id === null || proxyId === null) return notFound(deps, c);
    const f = await formFields(c);
    const approve = f.decision === 'approve';
    if (!approve && f.decision !== 'reject') return show(c, id, { error: 'invalid_input' }, 422);
    const note = f.note ?? '';
    let r;
    try {
      // The event must be visible to the person; decideProxy checks the proxy's own area too.
      if (!(await getEvent(db, actor(c), id))) return notFound(deps, c);
      r = await decideProxy(db, actor(c), proxyId, { approve, note }, serviceOpts(deps));
    } catch (err) {
      if (err instanceof Forbidden) return forbidden(deps, c);
      throw err;
    }
    if (r.ok) return c.redirect(`/console/distribution/${id}?done=${approve ? 'proxy_approved' : 'proxy_rejected'}`, 303);
    return show(c, id, { error: `proxy_${r.reason}`, ...(approve ? {} : { rejectNote: { proxyId, note } }) }, r.reason === 'not_found' ? 404 : 422);
  });

  return app;
}
