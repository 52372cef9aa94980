import type { TFunction } from 'i18next';
import type { Locale } from '../../../domain/vocabulary.ts';
import type { Session } from '../../../services/staff/sessions.ts';
import { Shell } from './layout.tsx';

// The line under a page's heading that says what the last action did (or why it was refused), and the page
// that says only that something is not there or not the officer's: one shape for every console subject.

export type Notice = { kind: 'done' | 'error'; text: string };

export function NoticeLine({ notice }: { notice: Notice | undefined }) {
  if (!notice) return null;
  return (
    <p class={notice.kind === 'error' ? 'error' : 'notice'} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
    </p>
  );
}

/** A page of one message under the subject's title, with the way back to the subject's list. */
export function MessagePage(props: { t: TFunction; locale: Locale; session: Session; title: string; here: string; back: string; text: string }) {
  return (
    <Shell t={props.t} locale={props.locale} title={props.title} session={props.session} here={props.here}>
      <h1>{props.title}</h1>
      <p class="error">{props.text}</p>
      <p>
        <a href={props.here}>{props.back}</a>
      </p>
    </Shell>
  );
}
