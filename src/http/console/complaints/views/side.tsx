import type { TFunction } from 'i18next';
import { BIDANG, COMPLAINT_CATEGORIES, COMPLAINT_CLOSE_REASONS, type Locale } from '../../../../domain/vocabulary.ts';
import { can } from '../../../../services/access.ts';
import type { AttachmentView } from '../../../../services/complaints/attachments.ts';
import type { ComplaintView } from '../../../../services/complaints/queries.ts';
import type { Officer } from '../../../../services/staff/officers.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, formatTime } from '../../shell/layout.tsx';
import { Attachments } from './attachments.tsx';
import { inPlace } from './in-place.ts';
import { SlaCell } from './sla.tsx';

// The case beside its conversation: the facts, what the officer can do now, its files and its history. Part of
// the live fragment: it is drawn again whenever the complaint changes. Each action is a form that works
// without script; with htmx it posts in place (hx-post) and the page is not reloaded.

export interface SideProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  view: ComplaintView;
  staffName: (id: number | null) => string;
  attachments: AttachmentView[];
  officers: Officer[];
  areas: { id: number; name: string }[];
}

export function Side(p: SideProps) {
  const { t, view: v, session } = p;
  const actor = session.actor;
  const works = can(actor, 'complaints.work');
  const assigns = can(actor, 'complaints.assign');
  const me = actor.kind === 'staff' ? actor.id : null;
  const open = v.status !== 'closed';
  const time = (d: Date) => formatTime(d, p.locale, p.timeZone);
  const url = (a: string) => `/console/complaints/${v.id}/${a}`;
  return (
    <aside class="side" id="live-side" aria-label={t('console:complaint.facts')}>
      <section class="card">
        <dl class="facts">
          <dt>{t('console:complaint.status')}</dt>
          <dd data-testid="status">
            {t(`console:status.${v.status}`)}
            {v.closeReason ? ` (${t(`console:closeReason.${v.closeReason}`)})` : ''}
          </dd>
          <dt>{t('console:complaint.category')}</dt>
          <dd>
            {t(`console:category.${v.category}`)}
            {v.urgent ? (
              <>
                {' '}
                <span class="mark urgent" data-testid="urgent">
                  {t('console:inbox.urgentMark')}
                </span>
              </>
            ) : null}
          </dd>
          {v.programName !== null ? (
            <>
              <dt>{t('agents:complaint.program')}</dt>
              <dd data-testid="program">{v.programName}</dd>
            </>
          ) : null}
          {v.agentProblem !== null || v.agent !== null ? (
            <>
              <dt>{t('agents:complaint.agent')}</dt>
              <dd data-testid="agent">
                {v.agent ? `${v.agent.name} (${v.agent.kelurahanName})` : t('agents:complaint.agentUnknown')}
                {v.agentProblem ? ` · ${t(`agents:problems.${v.agentProblem}`)}` : ''}
              </dd>
            </>
          ) : null}
          <dt>{t('console:complaint.kecamatan')}</dt>
          <dd data-testid="kecamatan">{v.kecamatanName ?? '—'}</dd>
          <dt>{t('console:complaint.bidang')}</dt>
          <dd data-testid="bidang">{v.bidang ?? '—'}</dd>
          <dt>{t('console:complaint.assignee')}</dt>
          <dd data-testid="assignee">{v.assigneeId === null ? t('console:complaint.unassigned') : p.staffName(v.assigneeId)}</dd>
          <dt>{t('console:complaint.sla')}</dt>
          <dd>
            <SlaCell t={t} sla={v.sla} urgent={v.urgent} />
          </dd>
          <dt>{t('console:complaint.created')}</dt>
          <dd>{time(v.createdAt)}</dd>
          <dt>{t('console:complaint.channel')}</dt>
          <dd>{v.channel ? t(`console:channel.${v.channel}`) : '—'}</dd>
          <dt>{t('console:complaint.language')}</dt>
          <dd data-testid="language">{t(`console:app.switchTo.${v.language === 'en' ? 'en' : v.language === 'id' ? 'id' : p.locale}`)}</dd>
          <dt>{t('console:complaint.reporter')}</dt>
          <dd>
            {v.reporter.hidden
              ? t('console:complaint.anonymous')
              : [v.reporter.memberName ?? v.reporter.displayName ?? t('console:complaint.unknownReporter'), v.reporter.verified ? ` (${t('console:complaint.verified')})` : ''].join('')}
          </dd>
        </dl>
      </section>

      {works && open ? (
        <section class="card" aria-label={t('console:complaint.actions')}>
          <h2>{t('console:complaint.actions')}</h2>
          {v.status !== 'answered' && (v.assigneeId !== me || v.status !== 'in_progress') ? (
            <TakeForm {...p} url={url('take')} />
          ) : null}
          {assigns ? (
            <form method="post" action={url('assign')} {...inPlace(url('assign'))} class="stack" id="assign-form" hx-preserve="true">
              <Csrf session={session} />
              <label for="assign-to">{t('console:actions.assignTo')}</label>
              <select id="assign-to" name="staffId">
                {p.officers.map((o) => (
                  <option value={String(o.id)} selected={o.id === v.assigneeId}>
                    {o.name}
                  </option>
                ))}
              </select>
              <button class="secondary" type="submit">
                {t('console:actions.assign')}
              </button>
            </form>
          ) : null}
          {assigns && v.status !== 'received' ? <RouteForm {...p} url={url('reroute')} /> : null}
          {v.status === 'answered' ? (
            <form method="post" action={url('close')} {...inPlace(url('close'))}>
              <Csrf session={session} />
              <button class="secondary" type="submit">
                {t('console:actions.close')}
              </button>
            </form>
          ) : null}
          {/* A case another agency or an LKS must take on (a PPKS report, a need the office cannot meet itself). */}
          <p>
            <a href={`/console/referrals/new?source=complaint&id=${v.id}`} data-testid="refer-link">
              {t('console:actions.refer')}
            </a>
          </p>
          {/* Open forms survive the live refresh (hx-preserve): a change elsewhere must not fold what is being filled in. */}
          <details id="dismiss-details" hx-preserve="true">
            <summary>{t('console:actions.dismiss')}</summary>
            <form method="post" action={url('dismiss')} {...inPlace(url('dismiss'))}>
              <Csrf session={session} />
              <label for="dismiss-reason">{t('console:dismiss.reason')}</label>
              <select id="dismiss-reason" name="reason">
                {COMPLAINT_CLOSE_REASONS.map((r) => (
                  <option value={r}>{t(`console:closeReason.${r}`)}</option>
                ))}
              </select>
              <label for="dismiss-note">{t('console:dismiss.note')}</label>
              <input id="dismiss-note" name="note" required maxlength={500} />
              <p class="meta">{t('console:dismiss.help')}</p>
              <button class="secondary" type="submit">
                {t('console:dismiss.submit')}
              </button>
            </form>
          </details>
        </section>
      ) : null}

      <Attachments t={t} locale={p.locale} complaintId={v.id} channel={v.channel} attachments={p.attachments} />

      <section class="card">
        <h2>{t('console:complaint.history')}</h2>
        <ol class="events" data-testid="events">
          {v.events.map((e) => (
            <li class={e.kind}>
              <div class="meta">
                {t(`console:events.${e.kind}`)} · {time(e.createdAt)}
                {e.kind !== 'message_in' ? ` · ${p.staffName(e.staffId)}` : ''}
              </div>
              {e.kind === 'status_change' ? (
                <div>
                  {e.fromStatus ? t(`console:status.${e.fromStatus}`) : '—'} → {e.toStatus ? t(`console:status.${e.toStatus}`) : '—'}
                  {e.body === 'auto_close' ? ` (${t('console:events.autoClose')})` : ''}
                </div>
              ) : e.kind === 'assignment' ? (
                // By nobody: an urgent report out of office hours, given to the officer on the duty roster.
                <div>{t(e.staffId === null ? 'console:events.dutyAssigned' : 'console:events.assignedTo', { name: p.staffName(e.body && /^\d+$/.test(e.body) ? Number(e.body) : null) })}</div>
              ) : e.kind === 'routing' ? (
                <div>{t('console:events.routingChanged', { fields: (e.body ?? '').split(',').filter(Boolean).map((f) => t(`console:routingField.${f}`)).join(', ') })}</div>
              ) : (
                <div class="text">{e.body ?? ''}</div>
              )}
            </li>
          ))}
        </ol>
      </section>
    </aside>
  );
}

/** Verify (when still received), take and start, in one click; the routing can be corrected on the way. */
function TakeForm(p: SideProps & { url: string }) {
  const { t, view: v } = p;
  const received = v.status === 'received';
  return (
    <form method="post" action={p.url} {...inPlace(p.url)}>
      <Csrf session={p.session} />
      {received ? (
        <details id="take-details" hx-preserve="true">
          <summary>{t('console:take.correct')}</summary>
          <RoutingFields {...p} prefix="take" />
        </details>
      ) : null}
      <button class="primary" type="submit" data-testid="take">
        {received ? t('console:take.verifyAndTake') : t('console:take.take')}
      </button>
    </form>
  );
}

function RouteForm(p: SideProps & { url: string }) {
  const { t } = p;
  return (
    <details id="reroute-details" hx-preserve="true">
      <summary>{t('console:reroute.open')}</summary>
      <form method="post" action={p.url} {...inPlace(p.url)}>
        <Csrf session={p.session} />
        <RoutingFields {...p} prefix="route" />
        <button class="secondary" type="submit">
          {t('console:reroute.submit')}
        </button>
      </form>
    </details>
  );
}

function RoutingFields({ t, view: v, areas, prefix }: SideProps & { prefix: string }) {
  return (
    <>
      <label for={`${prefix}-kecamatan`}>{t('console:complaint.kecamatan')}</label>
      <select id={`${prefix}-kecamatan`} name="kecamatanId">
        <option value="">{t('console:reroute.keep')}</option>
        {areas.map((a) => (
          <option value={String(a.id)} selected={a.id === v.kecamatanId}>
            {a.name}
          </option>
        ))}
      </select>
      <label for={`${prefix}-bidang`}>{t('console:complaint.bidang')}</label>
      <select id={`${prefix}-bidang`} name="bidang">
        <option value="">{t('console:reroute.auto')}</option>
        {BIDANG.map((b) => (
          <option value={b} selected={b === v.bidang && v.status !== 'received'}>
            {b}
          </option>
        ))}
      </select>
      <label for={`${prefix}-category`}>{t('console:complaint.category')}</label>
      <select id={`${prefix}-category`} name="category">
        {COMPLAINT_CATEGORIES.map((c) => (
          <option value={c} selected={c === v.category}>
            {t(`console:category.${c}`)}
          </option>
        ))}
      </select>
    </>
  );
}
