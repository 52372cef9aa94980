import type { TFunction } from 'i18next';
import { AGENT_KINDS, AGENT_PROBLEMS } from '../../../../domain/vocabulary.ts';
import { AGENT_ADDRESS_MAX, AGENT_HOURS_MAX, AGENT_NAME_MAX, AGENT_PHONE_MAX, type Agent } from '../../../../services/agents/manage.ts';
import type { AreaInScope } from '../../../../services/areas.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import { ErrorBox } from './fields.tsx';
import { ListPage } from './list-page.tsx';

// The e-warong and agents page (issue 20): every agent with its kind, kelurahan, the programs it serves, its
// hours and how many complaints named it in the last 90 days, by problem; the form to add one and a page per
// agent to change it. Deactivate instead of delete: complaints keep naming an agent after it closes.

/** The form as typed: kept on a refusal so nothing has to be typed twice. */
export interface AgentDraft {
  name: string;
  kind: string;
  kelurahan: string;
  address: string;
  latitude: string;
  longitude: string;
  programs: string[];
  hours: string;
  phone: string;
}

export const emptyAgentDraft = (): AgentDraft => ({ name: '', kind: 'e_warong', kelurahan: '', address: '', latitude: '', longitude: '', programs: [], hours: '', phone: '' });

interface FormProps {
  t: TFunction;
  session: Session;
  action: string;
  draft: AgentDraft;
  /** The kelurahan the admin may put an agent in, by kecamatan. */
  areas: AreaInScope[];
  programs: { code: string; name: string }[];
  submit: string;
  idPrefix: string;
}

function AgentForm(p: FormProps) {
  const { t, draft, idPrefix: id } = p;
  const text = (f: 'name' | 'address' | 'hours' | 'phone' | 'latitude' | 'longitude', max: number, extra: Record<string, string> = {}) => (
    <div class="field">
      <label for={`${id}-${f}`}>{t(`agents:admin.${f}`)}</label>
      <input id={`${id}-${f}`} name={f} maxlength={max} value={draft[f]} {...extra} />
    </div>
  );
  return (
    <form method="post" action={p.action}>
      <Csrf session={p.session} />
      {text('name', AGENT_NAME_MAX, { required: 'required' })}
      <div class="field">
        <label for={`${id}-kind`}>{t('agents:admin.kind')}</label>
        <select id={`${id}-kind`} name="kind" required>
          {AGENT_KINDS.map((k) => (
            <option value={k} selected={draft.kind === k}>
              {t(`agents:kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-kelurahan`}>{t('agents:admin.kelurahan')}</label>
        <select id={`${id}-kelurahan`} name="kelurahan" required>
          <option value="">—</option>
          {p.areas.map((k) => (
            <optgroup label={k.name}>
              {k.kelurahan.map((l) => (
                <option value={String(l.id)} selected={draft.kelurahan === String(l.id)}>
                  {l.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {text('address', AGENT_ADDRESS_MAX)}
      <fieldset>
        <legend>{t('agents:admin.latitude')} / {t('agents:admin.longitude')}</legend>
        <p class="meta" id={`${id}-coords-hint`}>
          {t('agents:admin.coordinatesHint')}
        </p>
        {text('latitude', 12, { inputmode: 'decimal', 'aria-describedby': `${id}-coords-hint` })}
        {text('longitude', 12, { inputmode: 'decimal', 'aria-describedby': `${id}-coords-hint` })}
      </fieldset>
      <fieldset>
        <legend>{t('agents:admin.programs')}</legend>
        {p.programs.map((prog) => (
          <label>
            <input type="checkbox" name="programs" value={prog.code} checked={draft.programs.includes(prog.code)} /> {prog.code} — {prog.name}{' '}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`${id}-hours`}>{t('agents:admin.hours')}</label>
        <input id={`${id}-hours`} name="hours" maxlength={AGENT_HOURS_MAX} value={draft.hours} aria-describedby={`${id}-hours-hint`} />
        <p class="meta" id={`${id}-hours-hint`}>
          {t('agents:admin.hoursHint')}
        </p>
      </div>
      {text('phone', AGENT_PHONE_MAX, { type: 'tel' })}
      <button class="primary" type="submit">
        {p.submit}
      </button>
    </form>
  );
}

/** "Mutu barang 2 · Tutup 1", or "Tidak ada". */
function ComplaintCounts({ t, a }: { t: TFunction; a: Agent }) {
  if (a.complaints.total === 0) return <>{t('agents:admin.complaintsNone')}</>;
  const parts = AGENT_PROBLEMS.filter((k) => (a.complaints.byProblem[k] ?? 0) > 0).map((k) => `${t(`agents:problems.${k}`)} ${a.complaints.byProblem[k]}`);
  return (
    <>
      <strong data-complaints={String(a.complaints.total)}>{String(a.complaints.total)}</strong>
      {parts.length > 0 ? <div class="meta">{parts.join(' · ')}</div> : null}
    </>
  );
}

export interface AgentsListProps extends Omit<FormProps, 'action' | 'submit' | 'idPrefix'> {
  agents: Agent[];
  /** The ids this admin may change (their kecamatan's; every one for a city-wide admin). */
  changeable: Set<number>;
  done?: string | undefined;
  errors?: string[] | undefined;
}

export function AgentsList(p: AgentsListProps) {
  const { t, session } = p;
  return (
    <ListPage
      intro={<p>{t('agents:admin.intro')}</p>}
      done={p.done}
      errors={p.errors}
      rows={
        p.agents.length === 0 ? (
          <p>{t('agents:admin.empty')}</p>
        ) : (
          <table data-testid="agents">
            <caption>{t('agents:admin.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agents:admin.name')}</th>
                <th scope="col">{t('agents:admin.kind')}</th>
                <th scope="col">{t('agents:admin.kelurahan')}</th>
                <th scope="col">{t('agents:admin.programs')}</th>
                <th scope="col">{t('agents:admin.hours')}</th>
                <th scope="col">{t('agents:admin.status')}</th>
                <th scope="col">{t('agents:admin.complaints')}</th>
                <th scope="col">{t('agents:admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {p.agents.map((a) => (
                <tr data-agent={String(a.id)}>
                  <td>
                    {a.name}
                    {a.address ? <div class="meta">{a.address}</div> : null}
                  </td>
                  <td>{t(`agents:kinds.${a.kind}`)}</td>
                  <td>
                    {a.kelurahanName}
                    <div class="meta">{a.kecamatanName}</div>
                  </td>
                  <td>{a.programs.join(', ')}</td>
                  <td>{a.hours ?? '—'}</td>
                  <td data-active={String(a.active)}>{a.active ? t('agents:admin.active') : t('agents:admin.inactive')}</td>
                  <td>
                    <ComplaintCounts t={t} a={a} />
                  </td>
                  <td class="actions">
                    {p.changeable.has(a.id) ? (
                      <>
                        <a href={`/console/admin/agents/${a.id}`}>{t('agents:admin.edit')}</a>
                        <PostButton
                          session={session}
                          action={`/console/admin/agents/${a.id}/${a.active ? 'deactivate' : 'reactivate'}`}
                          label={a.active ? t('agents:admin.deactivate') : t('agents:admin.reactivate')}
                        />
                      </>
                    ) : (
                      <span class="meta">{t('agents:admin.readOnly')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
      create={{
        id: 'h-new-agent',
        title: t('agents:admin.create'),
        form: <AgentForm t={t} session={session} action="/console/admin/agents" draft={p.draft} areas={p.areas} programs={p.programs} submit={t('agents:admin.add')} idPrefix="agent-new" />,
      }}
    />
  );
}

export function AgentEdit(p: Omit<FormProps, 'action' | 'submit' | 'idPrefix'> & { id: number; errors: string[] }) {
  return (
    <>
      {p.errors.map((e) => (
        <ErrorBox text={e} />
      ))}
      <section class="card">
        <AgentForm {...p} action={`/console/admin/agents/${p.id}`} submit={p.t('agents:admin.save')} idPrefix="agent-edit" />
      </section>
    </>
  );
}
