import type { TFunction } from 'i18next';
import type { WorkCounts } from '../../../../services/inbox/counts.ts';

// One inbox for complaints and live chats: the same tabs, with their counts, above both lists. "Darurat" (the
// emergency queue of urgent reports) is there for whoever reads complaints; its count is null for the rest.

export const TABS = ['mine', 'waiting', 'unassigned', 'all', 'urgent', 'chats'] as const;
export type Tab = (typeof TABS)[number];

const HREF: Record<Tab, string> = {
  mine: '/console/complaints?queue=mine',
  waiting: '/console/complaints?queue=waiting',
  unassigned: '/console/complaints?queue=unassigned',
  all: '/console/complaints?queue=all',
  urgent: '/console/complaints?queue=urgent',
  chats: '/console/handovers',
};

export function WorkTabs({ t, counts, current, href }: { t: TFunction; counts: WorkCounts; current: Tab; href?: (tab: Tab) => string }) {
  const shown = TABS.filter((tab) => counts[tab] !== null);
  return (
    <nav class="tabs" aria-label={t('console:inbox.queues')} data-testid="work-tabs">
      {shown.map((tab) => (
        <a href={href && tab !== 'chats' ? href(tab) : HREF[tab]} aria-current={tab === current ? 'page' : undefined} data-tab={tab} class={tab === 'urgent' && (counts.urgent ?? 0) > 0 ? 'urgent' : undefined}>
          {t(`console:inbox.queue.${tab}`)}
          <span class="count" aria-label={t('console:inbox.countLabel', { count: counts[tab] ?? 0 })}>
            {String(counts[tab] ?? 0)}
          </span>
        </a>
      ))}
    </nav>
  );
}
