import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { CancelPreview, ClosePreview, NextRoundPreview } from '../../../../services/distribution/guards.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf } from '../../shell/layout.tsx';
import { dayText, NS } from './page.tsx';

// The confirmation of an irreversible event action: what will happen, in the services' counts, a button
// that posts the action again with confirm=1, and a way back that changes nothing. Shown at the top of the
// event page, where the officer's eyes are after the post.

export type Confirm =
  | ({ kind: 'close' } & ClosePreview)
  | ({ kind: 'cancel'; reason: string } & CancelPreview)
  | ({ kind: 'next_round'; to: number } & Pick<NextRoundPreview, 'targetTitle' | 'targetDate' | 'invite' | 'atMaxRound'>);

export function ConfirmPanel({ t, locale, session, id, confirm: k }: { t: TFunction; locale: Locale; session: Session; id: number; confirm: Confirm }) {
  const path = k.kind === 'next_round' ? 'next-round' : k.kind;
  const lines =
    k.kind === 'close'
      ? [t(`${NS}:confirm.close.invited`, { count: k.invited }), t(`${NS}:confirm.close.collected`, { count: k.collected }), t(`${NS}:confirm.close.notCollected`, { count: k.notCollected })]
      : k.kind === 'cancel'
        ? [
            t(`${NS}:confirm.cancel.invitations`, { count: k.invitations }),
            t(`${NS}:confirm.cancel.told`, { count: k.told }),
            ...(k.notReached > 0 ? [t(`${NS}:confirm.cancel.notReached`, { count: k.notReached })] : []),
          ]
        : [
            t(`${NS}:confirm.next_round.target`, { title: k.targetTitle, date: dayText(k.targetDate, locale) }),
            t(`${NS}:confirm.next_round.invite`, { count: k.invite }),
            ...(k.atMaxRound > 0 ? [t(`${NS}:confirm.next_round.atMax`, { count: k.atMaxRound })] : []),
          ];
  return (
    <section class="card confirm" aria-labelledby="h-confirm" data-testid="confirm" data-kind={k.kind}>
      <h2 id="h-confirm">{t(`${NS}:confirm.${k.kind}.title`)}</h2>
      <ul>
        {lines.map((l) => (
          <li>{l}</li>
        ))}
      </ul>
      {k.kind === 'cancel' ? <p class="text">{t(`${NS}:confirm.cancel.reason`, { reason: k.reason })}</p> : null}
      <p class="warn">{t(`${NS}:confirm.cannotUndo`)}</p>
      <div class="actions">
        <form method="post" action={`/console/distribution/${id}/${path}`}>
          <Csrf session={session} />
          <input type="hidden" name="confirm" value="1" />
          {k.kind === 'cancel' ? <input type="hidden" name="reason" value={k.reason} /> : null}
          {k.kind === 'next_round' ? <input type="hidden" name="to" value={String(k.to)} /> : null}
          <button class="primary" type="submit" data-testid="confirm-yes">
            {t(`${NS}:confirm.${k.kind}.yes`)}
          </button>
        </form>
        <a class="button-link" href={`/console/distribution/${id}`}>
          {t(`${NS}:confirm.back`)}
        </a>
      </div>
    </section>
  );
}
