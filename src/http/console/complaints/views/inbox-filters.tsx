import type { TFunction } from 'i18next';
import { CHANNELS, COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../../../../domain/vocabulary.ts';
import type { Queue } from '../../../../services/complaints/list.ts';
import type { Officer } from '../../../../services/staff/officers.ts';

// The inbox's filters as the address carries them, and the form that sets them.

export const SLAS = ['due_today', 'late'] as const;

export interface InboxFilters {
  queue: Queue;
  status: string | undefined;
  category: string | undefined;
  sla: string | undefined;
  kecamatanId: number | undefined;
  /** A staff id, or 'none' for the unassigned. */
  officer: string | undefined;
  channel: string | undefined;
  from: string | undefined;
  to: string | undefined;
  search: string;
}

export type Link = (over: Record<string, string | undefined>) => string;

/** The inbox's address (or its CSV's) with some of its filters changed. */
export function linkOf(f: InboxFilters, base = '/console/complaints'): Link {
  return (over) => {
    const p = new URLSearchParams();
    const all: Record<string, string | undefined> = {
      queue: f.queue,
      status: f.status,
      category: f.category,
      sla: f.sla,
      kecamatan: f.kecamatanId === undefined ? undefined : String(f.kecamatanId),
      officer: f.officer,
      channel: f.channel,
      from: f.from,
      to: f.to,
      q: f.search || undefined,
      ...over,
    };
    for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') p.set(k, v);
    return `${base}?${p.toString()}`;
  };
}

function Choice({ id, name, label, anyLabel, value, options }: { id: string; name: string; label: string; anyLabel: string; value: string | undefined; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function InboxFilterForm({ t, filters: f, visibleAreas, officers }: { t: TFunction; filters: InboxFilters; visibleAreas: { id: number; name: string }[]; officers: Officer[] }) {
  const any = t('console:inbox.filters.any');
  return (
    <form class="filters" method="get" action="/console/complaints" role="search">
      <input type="hidden" name="queue" value={f.queue} />
      <Choice id="f-status" name="status" label={t('console:inbox.filters.status')} anyLabel={any} value={f.status} options={COMPLAINT_STATUSES.map((s) => ({ value: s, label: t(`console:status.${s}`) }))} />
      <Choice id="f-category" name="category" label={t('console:inbox.filters.category')} anyLabel={any} value={f.category} options={COMPLAINT_CATEGORIES.map((s) => ({ value: s, label: t(`console:category.${s}`) }))} />
      <Choice id="f-kecamatan" name="kecamatan" label={t('console:inbox.filters.kecamatan')} anyLabel={any} value={f.kecamatanId === undefined ? undefined : String(f.kecamatanId)} options={visibleAreas.map((a) => ({ value: String(a.id), label: a.name }))} />
      <Choice
        id="f-officer"
        name="officer"
        label={t('console:inbox.filters.officer')}
        anyLabel={any}
        value={f.officer}
        options={[{ value: 'none', label: t('console:complaint.unassigned') }, ...officers.map((o) => ({ value: String(o.id), label: o.name }))]}
      />
      <Choice id="f-channel" name="channel" label={t('console:inbox.filters.channel')} anyLabel={any} value={f.channel} options={CHANNELS.map((s) => ({ value: s, label: t(`console:channel.${s}`) }))} />
      <Choice id="f-sla" name="sla" label={t('console:inbox.filters.sla')} anyLabel={any} value={f.sla} options={SLAS.map((s) => ({ value: s, label: t(`console:inbox.sla.${s}`) }))} />
      <div>
        <label for="f-from">{t('console:inbox.filters.from')}</label>
        <input id="f-from" name="from" type="date" value={f.from ?? ''} />
      </div>
      <div>
        <label for="f-to">{t('console:inbox.filters.to')}</label>
        <input id="f-to" name="to" type="date" value={f.to ?? ''} />
      </div>
      <div>
        <label for="f-q">{t('console:inbox.filters.search')}</label>
        <input id="f-q" name="q" type="search" maxlength={200} value={f.search} placeholder={t('console:inbox.filters.searchHint')} />
      </div>
      <button type="submit">{t('console:inbox.filters.apply')}</button>
    </form>
  );
}
