import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import { FINDING_KINDS, FINDING_STATUSES } from '../../../../domain/vocabulary.ts';
import type { AreaInScope } from '../../../../services/areas.ts';
import { MAX_NOTE, MAX_REASON, type FindingCounts, type FindingFilter, type FindingRefusal, type FindingView } from '../../../../services/registry/quality/findings.ts';
import type { FindingKind } from '../../../../services/registry/quality/scan.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { AreaFilters } from '../../shell/area-filters.tsx';
import { Csrf, formatTime, Shell } from '../../shell/layout.tsx';

// The data quality page: counts per kind and area, the filters, and the findings with "saya tangani" and
// the two ways to close one for whoever may change them: "data sudah diperbaiki" (the scan checks it and
// opens it again if not) and "data benar apa adanya" with a reason (the scan leaves it closed).

export type PageFilter = FindingFilter & { cursor?: number };

/** What the page says after a change: done, or why not (an acceptance's reason has its own words). */
export type QualityNote = { done?: 'assigned' | 'resolved' | 'accepted'; error?: FindingRefusal | 'reason_required' | 'reason_too_long' };

export function QualityForbidden({ t, locale, session }: { t: TFunction; locale: Locale; session: Session }) {
  return (
    <Shell t={t} locale={locale} title={t('quality:console.title')} session={session} here="/console/quality">
      <h1>{t('quality:console.title')}</h1>
      <p class="error">{t('quality:console.forbidden')}</p>
    </Shell>
  );
}

export interface QualityPageProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  session: Session;
  filter: PageFilter & { query: string };
  areas: AreaInScope[];
  counts: FindingCounts;
  list: { items: FindingView[]; nextCursor: number | null };
  /** The person may assign and resolve findings. */
  changes: boolean;
  note: QualityNote;
}

export function QualityPage({ t, locale, timeZone, session, filter: f, areas, counts, list, changes, note }: QualityPageProps) {
  return (
    <Shell t={t} locale={locale} title={t('quality:console.title')} session={session} here="/console/quality">
      <h1>{t('quality:console.title')}</h1>
      <p>{t('quality:console.intro')}</p>
      {note.done ? (
        <p class="notice" role="status">
          {t(`quality:console.${note.done}`)}
        </p>
      ) : null}
      {note.error ? (
        <p class="error" role="alert">
          {t(`quality:console.errors.${note.error}`, { max: MAX_REASON })}
        </p>
      ) : null}
      <CountsCard t={t} counts={counts} query={f.query} />
      <FilterForm t={t} filter={f} areas={areas} />
      <p>
        <a href={`/console/quality/export.csv?${f.query}`} download>
          {t('quality:console.download')}
        </a>{' '}
        ·{' '}
        <a href={`/console/quality/export.xlsx?${f.query}`} download>
          {t('quality:console.downloadXlsx')}
        </a>
      </p>
      {list.items.length === 0 ? (
        <p data-testid="none">{t('quality:console.none')}</p>
      ) : (
        <table data-testid="findings">
          <thead>
            <tr>
              <th>{t('quality:console.kind')}</th>
              <th>{t('quality:console.kelurahan')}</th>
              <th>{t('quality:console.family')}</th>
              <th>{t('quality:console.member')}</th>
              <th>{t('quality:console.details')}</th>
              <th>{t('quality:console.assignee')}</th>
              <th>{t('quality:console.seen')}</th>
              <th>{t('quality:console.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((r) => (
              <Row t={t} locale={locale} timeZone={timeZone} r={r} meId={session.actor.kind === 'staff' ? session.actor.id : null} changes={changes} query={f.query} csrf={<Csrf session={session} />} />
            ))}
          </tbody>
        </table>
      )}
      <p>
        {f.cursor ? <a href={`/console/quality?${f.query}`}>{t('quality:console.first')}</a> : null}{' '}
        {list.nextCursor ? <a href={`/console/quality?${f.query}&cursor=${list.nextCursor}`}>{t('quality:console.next')}</a> : null}
      </p>
    </Shell>
  );
}

function CountsCard({ t, counts, query }: { t: TFunction; counts: FindingCounts; query: string }) {
  const withKind = (kind: FindingKind) => {
    const q = new URLSearchParams(query);
    q.set('kind', kind);
    return `/console/quality?${q.toString()}`;
  };
  return (
    <section class="card">
      <h2>{t('quality:console.byKind')}</h2>
      <table data-testid="by-kind">
        <tbody>
          {FINDING_KINDS.map((k) => (
            <tr>
              <td>
                <a href={withKind(k)}>{t(`quality:kinds.${k}`)}</a>
              </td>
              <td data-kind={k}>{counts.byKind[k]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('quality:console.byArea')}</h2>
      <table data-testid="by-area">
        <thead>
          <tr>
            <th>{t('quality:console.kecamatan')}</th>
            <th>{t('quality:console.kelurahan')}</th>
            <th>{t('quality:console.count')}</th>
          </tr>
        </thead>
        <tbody>
          {counts.byArea.map((a) => (
            <tr>
              <td>{a.kecamatan ?? '—'}</td>
              <td>{a.kelurahan ?? '—'}</td>
              <td>{a.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function FilterForm({ t, filter: f, areas }: { t: TFunction; filter: PageFilter; areas: AreaInScope[] }) {
  return (
    <form class="filters" method="get" action="/console/quality">
      <div>
        <label for="q-kind">{t('quality:console.kind')}</label>
        <select id="q-kind" name="kind">
          <option value="">{t('quality:console.all')}</option>
          {FINDING_KINDS.map((k) => (
            <option value={k} selected={k === f.kind}>
              {t(`quality:kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="q-status">{t('quality:console.status')}</label>
        <select id="q-status" name="status">
          {FINDING_STATUSES.map((s) => (
            <option value={s} selected={s === f.status}>
              {t(`quality:statuses.${s}`)}
            </option>
          ))}
          <option value="all" selected={!f.status}>
            {t('quality:console.all')}
          </option>
        </select>
      </div>
      <AreaFilters
        idPrefix="q"
        areas={areas}
        kecamatanId={f.kecamatanId}
        kelurahanId={f.kelurahanId}
        labels={{ kecamatan: t('quality:console.kecamatan'), kelurahan: t('quality:console.kelurahan'), all: t('quality:console.all') }}
      />
      <button type="submit">{t('quality:console.filter')}</button>
    </form>
  );
}

function detailText(t: TFunction, r: FindingView): string {
  const d = r.details;
  if (r.kind === 'duplicate_nik' && Array.isArray(d.householdIds)) return t('quality:console.detail.householdIds', { count: d.householdIds.length });
  if (r.kind === 'exclusive_programs' && Array.isArray(d.programCodes)) return t('quality:console.detail.programCodes', { codes: d.programCodes.join(', ') });
  if (r.kind === 'above_desil_ceiling') return t('quality:console.detail.desil', { desil: d.desil, maxDesil: d.maxDesil });
  if (r.kind === 'reported_moved' || r.kind === 'reported_deceased') return t('quality:console.detail.complaint', { trackingId: d.trackingId });
  return '';
}

interface RowProps {
  t: TFunction;
  locale: Locale;
  timeZone: string;
  r: FindingView;
  meId: number | null;
  changes: boolean;
  query: string;
  csrf: Child;
}

function Row({ t, locale, timeZone, r, meId, changes, query, csrf }: RowProps) {
  const complaintId = typeof r.details.complaintId === 'number' ? r.details.complaintId : null;
  return (
    <tr data-finding={String(r.id)}>
      <td>
        {t(`quality:kinds.${r.kind}`)}
        <div class="meta">{t(`quality:statuses.${r.status}`)}</div>
      </td>
      <td>
        {r.kelurahan?.name ?? '—'}
        <div class="meta">{r.kecamatan?.name ?? ''}</div>
      </td>
      <td>
        {r.noKk ?? '—'}
        <div class="meta">{r.headName ?? ''}</div>
      </td>
      <td>
        {r.memberName ?? '—'}
        <div class="meta">{r.memberNik ?? ''}</div>
      </td>
      <td>
        {r.program ? <div>{r.program.code}</div> : null}
        {complaintId ? <a href={`/console/complaints/${complaintId}`}>{detailText(t, r)}</a> : detailText(t, r)}
      </td>
      <td>{r.assignee?.name ?? t('quality:console.unassigned')}</td>
      <td>
        <div class="meta">
          {t('quality:console.firstSeen')}: {formatTime(new Date(r.firstSeenAt), locale, timeZone)}
        </div>
        <div class="meta">
          {t('quality:console.lastSeen')}: {formatTime(new Date(r.lastSeenAt), locale, timeZone)}
        </div>
      </td>
      <td>
        {r.status !== 'open' ? (
          <span class="text" data-closed={r.status}>
            {t(`quality:console.closed.${r.status}`, { at: r.resolvedAt ? formatTime(new Date(r.resolvedAt), locale, timeZone) : '', note: r.resolutionNote ?? '' })}
          </span>
        ) : (
          <>
            {r.reopenedAt ? (
              <p class="meta" data-reopened={r.reopenedAt}>
                {t('quality:console.reopened', { at: formatTime(new Date(r.reopenedAt), locale, timeZone) })}
              </p>
            ) : null}
            {changes ? (
              <div class="actions">
                {/* A problem another agency must settle (Dukcapil for a duplicate NIK, a hospital's death record). */}
                <a href={`/console/referrals/new?source=finding&id=${r.id}`}>{t('quality:console.refer')}</a>
                {r.assignee?.id !== meId && meId !== null ? (
                  <form method="post" action={`/console/quality/${r.id}/assign`}>
                    {csrf}
                    <input type="hidden" name="q" value={query} />
                    <button class="secondary" type="submit">
                      {t('quality:console.assignMe')}
                    </button>
                  </form>
                ) : null}
                <form method="post" action={`/console/quality/${r.id}/resolve`} data-action="resolve">
                  {csrf}
                  <input type="hidden" name="q" value={query} />
                  <label for={`note-${r.id}`}>{t('quality:console.note')}</label>
                  <textarea id={`note-${r.id}`} name="note" maxlength={MAX_NOTE} required aria-describedby={`note-help-${r.id}`}></textarea>
                  <p class="meta" id={`note-help-${r.id}`}>
                    {t('quality:console.resolveHelp')}
                  </p>
                  <button class="primary" type="submit">
                    {t('quality:console.resolve')}
                  </button>
                </form>
                <form method="post" action={`/console/quality/${r.id}/accept`} data-action="accept">
                  {csrf}
                  <input type="hidden" name="q" value={query} />
                  <label for={`reason-${r.id}`}>{t('quality:console.reason')}</label>
                  <textarea id={`reason-${r.id}`} name="reason" maxlength={MAX_REASON} required aria-describedby={`reason-help-${r.id}`}></textarea>
                  <p class="meta" id={`reason-help-${r.id}`}>
                    {t('quality:console.acceptHelp', { max: MAX_REASON })}
                  </p>
                  <button class="secondary" type="submit">
                    {t('quality:console.accept')}
                  </button>
                </form>
              </div>
            ) : null}
          </>
        )}
      </td>
    </tr>
  );
}
