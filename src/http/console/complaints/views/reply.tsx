import type { TFunction } from 'i18next';
import { REPLY_VARIABLES } from '../../../../domain/reply-variables.ts';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { can } from '../../../../services/access.ts';
import type { ComplaintView } from '../../../../services/complaints/queries.ts';
import type { CannedResponse } from '../../../../services/staff/canned-responses.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, formatTime } from '../../shell/layout.tsx';
import { inPlace } from './in-place.ts';

// Under the conversation, pinned: the reply box whenever the officer may reply, and otherwise the one click
// that makes it so. The box keeps its text through every live refresh (hx-preserve) and through a refused send;
// it is emptied only when the office accepted the reply. Canned responses go into the text at the cursor
// (console.js); without script the list is a plain choice that fills an empty box.

export const REPLYABLE = ['verified', 'in_progress', 'reopened', 'answered'];
/** The placeholders a reply may carry, as the help and the refusal name them. */
export const PLACEHOLDERS = REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ');

export interface ReplyAreaProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  view: ComplaintView;
  canned: CannedResponse[];
  /** Text to put back in the box (a refused send without script), or a canned response chosen without script. */
  draft?: string;
  note?: string;
  /** The canned response chosen without script, kept selected in its list. */
  cannedId?: number;
}

export function ReplyArea(p: ReplyAreaProps) {
  const { t, view: v, session } = p;
  const works = can(session.actor, 'complaints.work');
  if (!works) return <div id="reply-area"></div>;
  const url = (a: string) => `/console/complaints/${v.id}/${a}`;
  // The reply area itself is not swapped: its form stays, so the "sent" event can empty its box.
  const sendInPlace = (a: string) => inPlace(url(a), { keepReplyArea: true });
  return (
    <div id="reply-area">
      {REPLYABLE.includes(v.status) ? (
        <section class="reply-box" aria-label={t('console:complaint.reply')}>
          {!v.replyWindowOpen ? (
            <p class="warn" role="note">
              {t('console:complaint.windowClosed')}
            </p>
          ) : v.windowClosesAt ? (
            <p class="meta" role="note">
              {t('console:complaint.windowOpen', { until: formatTime(v.windowClosesAt, p.locale, p.timeZone) })}
            </p>
          ) : null}
          <form method="post" action={url('reply')} {...sendInPlace('reply')}>
            <Csrf session={session} />
            <label for="reply-text">{t('console:complaint.replyLabel')}</label>
            <textarea id="reply-text" name="text" maxlength={4000} required data-send hx-preserve="true" aria-describedby="reply-help">
              {p.draft ?? ''}
            </textarea>
            <p class="meta" id="reply-help">
              {t('console:complaint.replyHelp', { vars: PLACEHOLDERS })}
            </p>
            <div class="row">
              <button class="primary" type="submit">
                {t('console:actions.reply')}
              </button>
            </div>
          </form>
          <Canned t={t} canned={p.canned} complaintId={v.id} selected={p.cannedId} />
        </section>
      ) : v.status === 'received' ? (
        <p class="notice" role="note" data-testid="take-first">
          {t('console:complaint.takeFirst')}
        </p>
      ) : null}
      <details class="card">
        <summary>{t('console:complaint.note')}</summary>
        <form method="post" action={url('note')} {...sendInPlace('note')}>
          <Csrf session={session} />
          <label for="note-text">{t('console:complaint.noteLabel')}</label>
          <textarea id="note-text" name="text" maxlength={10000} required hx-preserve="true">
            {p.note ?? ''}
          </textarea>
          <button class="secondary" type="submit">
            {t('console:actions.note')}
          </button>
        </form>
      </details>
    </div>
  );
}

function Canned({ t, canned, complaintId, selected }: { t: TFunction; canned: CannedResponse[]; complaintId: number; selected: number | undefined }) {
  if (canned.length === 0) return <p class="meta">{t('console:complaint.cannedNone')}</p>;
  return (
    <>
      {/* With script: search and insert at the cursor. Hidden until console.js shows it. */}
      <div data-canned data-target="reply-text" data-fallback="canned-fallback" hidden>
        <label for="canned-search">{t('console:complaint.cannedSearch')}</label>
        <input id="canned-search" type="search" autocomplete="off" placeholder={t('console:complaint.cannedSearchHint')} />
        <ul class="canned-list" aria-label={t('console:complaint.canned')}>
          {canned.map((r) => (
            <li>
              <button type="button" data-canned-body={r.body}>
                {r.title}
              </button>
            </li>
          ))}
        </ul>
      </div>
      {/* Without script: choose one and the page comes back with it in the box. */}
      <form id="canned-fallback" method="get" action={`/console/complaints/${complaintId}`} class="filters">
        <div>
          <label for="canned">{t('console:complaint.canned')}</label>
          <select id="canned" name="canned">
            {canned.map((r) => (
              <option value={String(r.id)} selected={r.id === selected}>
                {r.title}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('console:complaint.cannedUse')}</button>
      </form>
    </>
  );
}
