import type { TFunction } from 'i18next';
import type { WorkCounts } from '../../../../services/inbox/counts.ts';

// One inbox for complaints and live chats: the same tabs, with their counts, above both lists.

export const TABS = ['mine', 'waiting', 'unassigned', 'all', 'chats'] as const;
export type Tab = (typeof TABS)[number];

const HREF: Record<Tab, string> = {
  mine: '/console/complaints?queue=mine',
  waiting: '/console/complaints?queue=waiting',
  unassigned: '/console/complaints?queue=unassigned',
  all: '/console/complaints?queue=all',
  chats: '/console/handovers',
};

export function WorkTabs({ t, counts, current, href }: { t: TFunction; counts: WorkCounts; current: Tab; href?: (tab: Tab) => string }) {
  return (
    <nav class="tabs" aria-label={t('console:inbox.queues')} data-testid="work-tabs">
      {TABS.map((tab) => (
        <a href={href && tab !== 'chats' ? href(tab) : HREF[tab]} aria-current={tab === current ? 'page' : undefined} data-tab={tab}>
          {t(`console:inbox.queue.${tab}`)}
          <span class="count" aria-label={t('console:inbox.countLabel', { count: counts[tab] })}>
            {String(counts[tab])}
          </span>
        </a>
      ))}
    </nav>
  );
}
