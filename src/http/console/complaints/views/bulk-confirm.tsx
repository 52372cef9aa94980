import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';

// Before many complaints change at once: how many, what will happen to them, and to whom they go. Nothing has
// changed yet; only the button here carries the confirmation.

export type BulkOp = 'assign' | 'duplicate' | 'spam';

export interface BulkConfirmProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  op: BulkOp;
  ids: number[];
  trackingIds: string[];
  officerName: string | null;
  officerId: number | null;
  note: string;
  error?: 'note_required' | 'none_selected';
}

export function BulkConfirmPage(p: BulkConfirmProps) {
  const { t, op } = p;
  const count = p.ids.length;
  return (
    <Shell t={t} locale={p.locale} title={t('console:inbox.bulk.confirmTitle')} session={p.session} here="/console/complaints">
      <h1>{t('console:inbox.bulk.confirmTitle')}</h1>
      {p.error ? (
        <p class="error" role="alert">
          {t(`console:inbox.bulk.errors.${p.error}`)}
        </p>
      ) : (
        <>
          <p data-testid="bulk-summary">
            {op === 'assign' ? t('console:inbox.bulk.confirmAssign', { count, name: p.officerName ?? '—' }) : t('console:inbox.bulk.confirmClose', { count, reason: t(`console:closeReason.${op}`) })}
          </p>
          {op !== 'assign' ? <p class="warn">{t('console:inbox.bulk.noReply')}</p> : null}
          <p class="meta">{p.trackingIds.join(', ')}</p>
          <form method="post" action="/console/complaints/bulk">
            <Csrf session={p.session} />
            <input type="hidden" name="op" value={op} />
            <input type="hidden" name="confirm" value="1" />
            {p.officerId !== null ? <input type="hidden" name="officer" value={String(p.officerId)} /> : null}
            <input type="hidden" name="note" value={p.note} />
            {p.ids.map((id) => (
              <input type="hidden" name="id" value={String(id)} />
            ))}
            <div class="actions">
              <button class="primary" type="submit">
                {op === 'assign' ? t('console:inbox.bulk.doAssign', { count }) : t('console:inbox.bulk.doClose', { count })}
              </button>
            </div>
          </form>
        </>
      )}
      <p>
        <a href="/console/complaints">{t('console:inbox.bulk.back')}</a>
      </p>
    </Shell>
  );
}
