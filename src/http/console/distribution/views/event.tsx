import type { ReachPreview } from '../../../../services/distribution/reach.ts';
import type { TFunction } from 'i18next';
import { formatTime as clockTime, zonedParts } from '../../../../domain/dates.ts';
import { formatInvitationCode } from '../../../../domain/invitation-code.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { AreaChoice } from '../../../../services/distribution/console-options.ts';
import type { EventListRow } from '../../../../services/distribution/event-list.ts';
import type { getEvent } from '../../../../services/distribution/events.ts';
import type { ProxyAttachmentView } from '../../../../services/distribution/proxy-attachments.ts';
import type { PendingProxy } from '../../../../services/distribution/proxies.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton, formatTime, Shell } from '../../shell/layout.tsx';
import { dayText, NS, refusalText } from './page.tsx';
import { ProxyPhoto } from './proxy-photo.tsx';
import { AllocationTable, SiteTooFar } from './allocation.tsx';
import type { AllocationPreview, SiteComplaints } from '../../../../services/distribution/allocation.ts';
import { EventTemplatesCard, type EventTemplatesView } from './templates.tsx';
import { ConfirmPanel, type Confirm } from './confirm.tsx';

// The page of one distribution event, from what its route loaded: the facts, the slots, and for whoever
// manages distributions the forms to invite, move, cancel, close, summon the no-shows and decide the kuasa.

export const DONE = ['created', 'invited', 'changed', 'cancelled', 'closed', 'next_round', 'proxy_approved', 'proxy_rejected', 'templates_saved'] as const;
export type Done = (typeof DONE)[number];

export type EventView = NonNullable<Awaited<ReturnType<typeof getEvent>>>;

/** What a route adds to the page: a confirmation, a refusal, and what was typed, kept. */
export interface ShowOptions {
  done?: Done;
  counts?: Record<string, string>;
  /** After a round on the Cloud API that Meta's daily limit spreads over days: the last day, and the limit. */
  lastDay?: string;
  dailyLimit?: number;
  error?: string;
  /** The invite preview: how many households the chosen area would invite now. */
  preview?: { area: string; count: number; reach?: ReachPreview; allocation?: AllocationPreview };
  area?: string;
  cancelReason?: string;
  rejectNote?: { proxyId: number; note: string };
  change?: { date: string; slots: Record<string, { start: string; end: string }> };
  /** An irreversible action posted without confirm=1: what it would do, and the button that does it. */
  confirm?: Confirm;
}

export interface EventPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  event: EventView;
  programName: string;
  siteName: Map<number, string>;
  /** The person may manage distributions (the forms are shown). */
  manage: boolean;
  areas: AreaChoice[];
  proxies: PendingProxy[];
  /** The surat kuasa photos sent with the listed kuasa: what they are and whether they are stored yet. */
  photos: Map<number, ProxyAttachmentView[]>;
  /** Later events of the same program, for summoning the no-shows. */
  sameProgram: EventListRow[];
  opts: ShowOptions;
  /** The "Template WhatsApp" card, when the Cloud API is on and the person may choose. */
  templates?: EventTemplatesView;
  /** "Site too far" complaints per site of the event (shown under the slots). */
  tooFar?: SiteComplaints[];
}

export function EventPage({ t, locale, timeZone, session, event, programName, siteName, manage, areas, proxies, photos, sameProgram, opts, templates, tooFar }: EventPageProps) {
  const id = event.id;
  const open = event.status !== 'cancelled' && event.status !== 'done';
  const local = (d: Date) => {
    const p = zonedParts(d, timeZone);
    return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  };
  const booked = event.slots.reduce((a, s) => a + s.booked, 0);
  const capacity = event.slots.reduce((a, s) => a + s.capacity, 0);
  const area = opts.preview?.area ?? opts.area ?? '';
  const change = opts.change;

  return (
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
      {opts.done && opts.lastDay && opts.dailyLimit ? (
        <p class="meta" data-testid="last-day">
          {t('outreach:reach.lastDay', { when: dayText(opts.lastDay, locale), limit: opts.dailyLimit })}
        </p>
      ) : null}
      {opts.error ? (
        <p class="error" role="alert" data-testid="error">
          {refusalText(t, opts.error)}
        </p>
      ) : null}
      {opts.confirm ? <ConfirmPanel t={t} locale={locale} session={session} id={id} confirm={opts.confirm} /> : null}

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

      <SlotsCard t={t} locale={locale} timeZone={timeZone} event={event} siteName={siteName} tooFar={tooFar ?? []} />

      {manage && open ? <InviteCard t={t} locale={locale} session={session} id={id} areas={areas} area={area} preview={opts.preview} free={capacity - booked} /> : null}

      {manage && open && templates ? <EventTemplatesCard t={t} session={session} eventId={id} view={templates} /> : null}

      {manage ? <ListsCard t={t} id={id} done={event.status === 'done'} /> : null}

      {manage && proxies.length > 0 ? <ProxiesCard t={t} locale={locale} timeZone={timeZone} session={session} id={id} proxies={proxies} photos={photos} rejectNote={opts.rejectNote} /> : null}

      {manage && open ? <ChangeCard t={t} session={session} event={event} siteName={siteName} change={change} local={local} /> : null}

      {manage && open ? (
        <section class="card" aria-labelledby="h-close">
          <h2 id="h-close">{t(`${NS}:close.title`)}</h2>
          <p class="meta">{t(`${NS}:close.help`)}</p>
          <PostButton session={session} action={`/console/distribution/${id}/close`} label={t(`${NS}:close.button`)} />
        </section>
      ) : null}

      {manage && event.status === 'done' ? <NextRoundCard t={t} locale={locale} session={session} id={id} sameProgram={sameProgram} /> : null}

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
    </Shell>
  );
}

/** Invite households of an area: count first (a GET), then send. */
function InviteCard({ t, locale, session, id, areas, area, preview, free }: { t: TFunction; locale: Locale; session: Session; id: number; areas: AreaChoice[]; area: string; preview: ShowOptions['preview']; free: number }) {
  return (
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
      {preview ? (
        <>
          <p class="notice" role="status" data-testid="preview" data-count={String(preview.count)}>
            {t(`${NS}:invite.preview`, { count: preview.count, free: free })}
          </p>
          {preview.reach ? <ReachLine t={t} locale={locale} reach={preview.reach} /> : null}
          {preview.allocation ? <AllocationTable t={t} locale={locale} session={session} eventId={id} area={preview.area} preview={preview.allocation} /> : null}
          {preview.count > 0 ? (
            <form method="post" action={`/console/distribution/${id}/invite`}>
              <Csrf session={session} />
              {/* The count above is the confirmation: this button says yes to it. */}
              <input type="hidden" name="confirm" value="1" />
              <input type="hidden" name="area" value={preview.area} />
              <button class="primary" type="submit">
                {t(`${NS}:invite.send`)}
              </button>
            </form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** "64 lewat WhatsApp, 9 lewat chat, 6 daftar kertas", why the paper ones are on paper, and the last day. */
function ReachLine({ t, locale, reach }: { t: TFunction; locale: Locale; reach: ReachPreview }) {
  const reasons = Object.entries(reach.paperReasons).filter(([, n]) => n > 0);
  return (
    <div data-testid="reach" data-chat={String(reach.chat)} data-whatsapp={String(reach.whatsapp)} data-paper={String(reach.paper)}>
      <p>{t('outreach:reach.summary', { chat: reach.chat, whatsapp: reach.whatsapp, paper: reach.paper })}</p>
      {reasons.length > 0 ? (
        <ul class="meta">
          {reasons.map(([why, n]) => (
            <li>
              {t(`outreach:paperReason.${why}`)}: {n}
            </li>
          ))}
        </ul>
      ) : null}
      {reach.lastOpeningAt && reach.dailyLimit ? (
        <p class="meta">{t('outreach:reach.lastDay', { when: dayText(reach.lastOpeningAt.toISOString().slice(0, 10), locale), limit: reach.dailyLimit })}</p>
      ) : null}
      {reach.template ? (
        <p class="error" role="alert">
          {refusalText(t, reach.template.reason)} ({reach.template.name})
        </p>
      ) : null}
    </div>
  );
}

interface ProxiesCardProps extends Pick<EventPageProps, 't' | 'locale' | 'timeZone' | 'session' | 'proxies' | 'photos'> {
  id: number;
  rejectNote: ShowOptions['rejectNote'];
}

/** The kuasa residents asked for, each with its photo and the approve and reject forms. */
function ProxiesCard({ t, locale, timeZone, session, id, proxies, photos, rejectNote }: ProxiesCardProps) {
  return (
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
              <td>{formatInvitationCode(p.code)}</td>
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
                <div class="meta">{formatTime(p.createdAt, locale, timeZone)}</div>
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
                    <input id={`note-${p.proxyId}`} name="note" maxlength={500} required value={rejectNote?.proxyId === p.proxyId ? rejectNote.note : ''} />
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
  );
}

interface ChangeCardProps extends Pick<EventPageProps, 't' | 'session' | 'event' | 'siteName'> {
  change: ShowOptions['change'];
  /** A slot's time as the office's clock reads it ("08:00"). */
  local: (d: Date) => string;
}

/** Move the event: a new day, new slot times. */
function ChangeCard({ t, session, event, siteName, change, local }: ChangeCardProps) {
  const id = event.id;
  return (
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
  );
}

function SlotsCard({ t, locale, timeZone, event, siteName, tooFar }: Pick<EventPageProps, 't' | 'locale' | 'timeZone' | 'event' | 'siteName'> & { tooFar: SiteComplaints[] }) {
  return (
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
              <td>{`${clockTime(s.startsAt, locale, timeZone)} – ${clockTime(s.endsAt, locale, timeZone)}`}</td>
              <td>{t(`${NS}:list.seatsValue`, { booked: s.booked, capacity: s.capacity })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SiteTooFar t={t} sites={tooFar} />
    </section>
  );
}

/** Summon the no-shows of a closed event to a later event of the same program. */
function NextRoundCard({ t, locale, session, id, sameProgram }: Pick<EventPageProps, 't' | 'locale' | 'session' | 'sameProgram'> & { id: number }) {
  return (
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
  );
}

/** The lists staff take out of the office: paper invitations, the invitations, and after the day the follow-up. */
function ListsCard({ t, id, done }: { t: TFunction; id: number; done: boolean }) {
  return (
    <section class="card" aria-labelledby="h-lists">
      <h2 id="h-lists">{t(`${NS}:lists.title`)}</h2>
      <ul>
        <li>
          <a href={`/console/distribution/${id}/paper.csv`} download>
            {t(`${NS}:lists.paper`)}
          </a>{' '}
          ·{' '}
          <a href={`/console/distribution/${id}/paper.xlsx`} download>
            {t(`${NS}:lists.xlsx`)}
          </a>
        </li>
        <li>
          <a href={`/console/distribution/${id}/invitations.csv`} download>
            {t(`${NS}:lists.invitations`)}
          </a>{' '}
          ·{' '}
          <a href={`/console/distribution/${id}/invitations.xlsx`} download>
            {t(`${NS}:lists.xlsx`)}
          </a>
        </li>
        {done ? (
          <li>
            <a href={`/console/distribution/${id}/follow-up`}>{t(`${NS}:lists.followUp`)}</a>
          </li>
        ) : null}
      </ul>
    </section>
  );
}
