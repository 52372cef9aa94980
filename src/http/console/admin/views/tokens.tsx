import type { TFunction } from 'i18next';
import type { Locale, StaffRole } from '../../../../domain/vocabulary.ts';
import type { Kecamatan } from '../../../../services/areas.ts';
import type { ApiTokenSummary } from '../../../../services/staff/api-tokens.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton, formatTime } from '../../shell/layout.tsx';
import type { ListState } from '../skeleton.ts';
import { areaName, ScopeFields } from './fields.tsx';
import { ListPage } from './list-page.tsx';

// The API tokens page: the tokens (until when each works) with a way to revoke each, and the form for a new
// one under them.

export type Draft = { name: string; role: string; kecamatanId: number | null; bidang: string | null; days: number };

export interface TokensListProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  /** The roles a token may be given. */
  roles: readonly StaffRole[];
  /** The lifetimes a token may be given, in days. */
  lifetimes: readonly number[];
  tokens: ApiTokenSummary[];
  areas: Kecamatan[];
  now: Date;
  draft: Draft;
  opts: ListState<Draft>;
}

export function TokensList({ t, locale, timeZone, session, roles, lifetimes, tokens, areas, now, draft, opts }: TokensListProps) {
  const actor = session.actor;
  return (
    <ListPage
      done={opts.done}
      errors={opts.errors}
      rows={tokens.length === 0 ? <p>{t('admin:tokens.empty')}</p> : <TokensTable t={t} locale={locale} timeZone={timeZone} session={session} tokens={tokens} areas={areas} now={now} />}
      create={{
        id: 'h-new-token',
        title: t('admin:tokens.create.title'),
        hint: t('admin:tokens.create.hint'),
        form: (
          <form method="post" action="/console/admin/tokens">
            <Csrf session={session} />
            <div class="field">
              <label for="k-name">{t('admin:tokens.name')}</label>
              <input id="k-name" name="name" required maxlength={200} value={draft.name} />
            </div>
            <div class="field">
              <label for="k-role">{t('admin:users.role')}</label>
              <select id="k-role" name="role">
                {roles.map((r) => (
                  <option value={r} selected={r === draft.role}>
                    {t(`admin:roles.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <ScopeFields t={t} idPrefix="k" areas={areas} actor={actor} kecamatanId={draft.kecamatanId} bidang={draft.bidang} />
            <div class="field">
              <label for="k-days">{t('admin:tokens.lifetime')}</label>
              <select id="k-days" name="days">
                {lifetimes.map((d) => (
                  <option value={String(d)} selected={d === draft.days}>
                    {t(`admin:tokens.lifetimes.${d}`)}
                  </option>
                ))}
              </select>
            </div>
            <button class="primary" type="submit">
              {t('admin:tokens.create.submit')}
            </button>
          </form>
        ),
      }}
    />
  );
}

type TokensTableProps = Pick<TokensListProps, 't' | 'locale' | 'timeZone' | 'session' | 'tokens' | 'areas' | 'now'>;

function TokensTable({ t, locale, timeZone, session, tokens, areas, now }: TokensTableProps) {
  return (
    <table data-testid="api-tokens">
      <thead>
        <tr>
          <th>{t('admin:tokens.name')}</th>
          <th>{t('admin:users.role')}</th>
          <th>{t('admin:scope.kecamatan')}</th>
          <th>{t('admin:scope.bidang')}</th>
          <th>{t('admin:tokens.createdAt')}</th>
          <th>{t('admin:tokens.lastUsed')}</th>
          <th>{t('admin:tokens.expiresAt')}</th>
          <th>{t('admin:tokens.status')}</th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((k) => (
          <tr data-token-id={String(k.id)}>
            <td>{k.name}</td>
            <td>{t(`admin:roles.${k.role}`)}</td>
            <td>{areaName(t, areas, k.kecamatanId)}</td>
            <td>{k.bidang ?? t('admin:scope.allBidang')}</td>
            <td>{formatTime(k.createdAt, locale, timeZone)}</td>
            <td>{k.lastUsedAt ? formatTime(k.lastUsedAt, locale, timeZone) : '—'}</td>
            <td>{formatTime(k.expiresAt, locale, timeZone)}</td>
            <td>
              {k.revokedAt ? (
                t('admin:tokens.revokedAt', { when: formatTime(k.revokedAt, locale, timeZone) })
              ) : k.expiresAt <= now ? (
                t('admin:tokens.expiredAt', { when: formatTime(k.expiresAt, locale, timeZone) })
              ) : (
                <PostButton session={session} action={`/console/admin/tokens/${k.id}/revoke`} label={t('admin:tokens.revoke')} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
