import type { TFunction } from 'i18next';
import { AGENCY_KINDS, type AgencyKind, type Locale } from '../../../../domain/vocabulary.ts';
import type { ReferralCase } from '../../../../services/referrals/sources.ts';
import { NOTE_MAX } from '../../../../services/referrals/shared.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { NoticeLine, sourceHref, sourceLabel, type Notice } from './shared.tsx';

// The form that refers one case: the case named at the top, the agency picked from the active ones grouped by
// kind, the due date, and a note for the agency. What was typed stays when the office refuses it.

export interface ReferralDraft {
  agencyId: string;
  dueOn: string;
  note: string;
}

export interface NewReferralProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  source: ReferralCase;
  agencies: { id: number; name: string; kind: AgencyKind; kecamatanName: string | null }[];
  draft: ReferralDraft;
  /** The earliest due date the office takes (today in its zone). */
  today: string;
  notice?: Notice | undefined;
}

export function NewReferralPage(p: NewReferralProps) {
  const { t, locale, source } = p;
  const groups = AGENCY_KINDS.map((kind) => ({ kind, agencies: p.agencies.filter((a) => a.kind === kind) })).filter((g) => g.agencies.length > 0);
  return (
    <Shell t={t} locale={locale} title={t('referrals:new.title')} session={p.session} here={`/console/referrals/new?source=${source.kind}&id=${source.id}`}>
      <h1>{t('referrals:new.title')}</h1>
      <dl class="facts">
        <dt>{t('referrals:new.case')}</dt>
        <dd data-testid="referral-case">
          <a href={sourceHref(source)}>{sourceLabel(t, source)}</a>
        </dd>
      </dl>
      <NoticeLine notice={p.notice} />
      {groups.length === 0 ? (
        <p class="meta">{t('referrals:new.noAgencies')}</p>
      ) : (
        <form method="post" action="/console/referrals" class="card">
          <Csrf session={p.session} />
          <input type="hidden" name="source" value={source.kind} />
          <input type="hidden" name="id" value={String(source.id)} />
          <div class="field">
            <label for="ref-agency">{t('referrals:new.agency')}</label>
            <select id="ref-agency" name="agency" required>
              <option value="">{t('referrals:new.pickAgency')}</option>
              {groups.map((g) => (
                <optgroup label={t(`referrals:kinds.${g.kind}`)}>
                  {g.agencies.map((a) => (
                    <option value={String(a.id)} selected={p.draft.agencyId === String(a.id)}>
                      {a.kecamatanName ? `${a.name} — ${a.kecamatanName}` : a.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="ref-due">{t('referrals:new.due')}</label>
            <input id="ref-due" name="dueOn" type="date" required min={p.today} value={p.draft.dueOn} />
          </div>
          <div class="field">
            <label for="ref-note">{t('referrals:new.note')}</label>
            <textarea id="ref-note" name="note" rows={4} maxlength={NOTE_MAX} aria-describedby="ref-note-hint">
              {p.draft.note}
            </textarea>
            <p class="meta" id="ref-note-hint">
              {t('referrals:new.noteHint')}
            </p>
          </div>
          {source.kind === 'complaint' ? <p class="meta">{t('referrals:new.tellsReporter')}</p> : null}
          <button class="primary" type="submit">
            {t('referrals:new.submit')}
          </button>
        </form>
      )}
    </Shell>
  );
}
