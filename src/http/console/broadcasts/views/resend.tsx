import type { BroadcastRow } from '../../../../services/broadcasts/index.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import { NS, type PageContext } from './page.tsx';

// The messages a stopped process left "terputus": why they were not sent again by themselves, and the way
// to send them again. Like every action that cannot be taken back, the button asks first (confirm=1 acts):
// some residents may then read the announcement twice, and the confirmation says so.

export function ResendCard({ page, session, broadcast: b, count, confirm }: { page: PageContext; session: Session; broadcast: BroadcastRow; count: number; confirm: boolean }) {
  const { t } = page;
  const action = `/console/broadcasts/${b.id}/resend`;
  if (confirm) {
    return (
      <section class="card confirm" aria-labelledby="h-resend" data-testid="confirm" data-kind="resend">
        <h2 id="h-resend">{t(`${NS}:resend.confirmTitle`)}</h2>
        <p class="warn">{t(`${NS}:resend.confirmNote`, { count })}</p>
        <div class="actions">
          <form method="post" action={action}>
            <Csrf session={session} />
            <input type="hidden" name="confirm" value="1" />
            <button class="primary" type="submit" data-testid="confirm-yes">
              {t(`${NS}:resend.yes`)}
            </button>
          </form>
          <a href={`/console/broadcasts/${b.id}`}>{t(`${NS}:confirm.back`)}</a>
        </div>
      </section>
    );
  }
  return (
    <section class="card" aria-labelledby="h-interrupted" data-testid="interrupted">
      <h2 id="h-interrupted">{t(`${NS}:resend.title`)}</h2>
      <p>{t(`${NS}:resend.explain`, { count })}</p>
      <PostButton session={session} action={action} label={t(`${NS}:resend.button`)} />
    </section>
  );
}
