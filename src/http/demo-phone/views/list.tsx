import type { TFunction } from 'i18next';
import type { Locale } from '../../../domain/vocabulary.ts';
import type { DemoPhoneActivity } from '../../../services/demo-phone/conversation.ts';
import type { DemoPhoneEntry, DemoPhoneless } from '../../../services/demo-phone/phones.ts';
import { formatTime } from '../../console/shell/layout.tsx';
import { DemoShell } from './layout.tsx';

// /demo/phones: every demo phone with whose it is, what it lets a newcomer try and how many messages it has.
// The list updates itself when the office writes to any of them (a code asked for in another tab).

export interface DemoPhoneListView {
  phones: { entry: DemoPhoneEntry; activity: DemoPhoneActivity }[];
  phoneless: DemoPhoneless[];
}

export interface DemoPageContext {
  t: TFunction;
  locale: Locale;
  timeZone: string;
}

export function DemoPhoneListPage({ page, view }: { page: DemoPageContext; view: DemoPhoneListView }) {
  const { t, locale } = page;
  return (
    <DemoShell t={t} locale={locale} title={t('demo_phone:list.title')} here="/demo/phones" live>
      <h1>{t('demo_phone:list.heading')}</h1>
      <p>{t('demo_phone:list.intro')}</p>
      <div hx-ext="sse" sse-connect="/demo/phones/events">
        <DemoPhoneCards page={page} view={view} />
      </div>
      <p>
        {t('demo_phone:list.chat')} <a href="/chat">/chat</a>
      </p>
    </DemoShell>
  );
}

/** The fragment the list swaps in when its stream says a message came or went. */
export function DemoPhoneCards({ page, view }: { page: DemoPageContext; view: DemoPhoneListView }) {
  const { t, locale, timeZone } = page;
  // Cards rather than a table: the page is read on a phone as often as beside the web chat.
  return (
    <section id="phones" hx-get="/demo/phones/cards" hx-trigger="sse:changed" hx-swap="outerHTML" aria-label={t('demo_phone:list.caption')}>
      <ul class="phones">
        {view.phones.map(({ entry, activity }) => (
          <li class="card" data-phone={entry.slug}>
            <h2>{entry.resident}</h2>
            <p>
              <a class="num" href={`/demo/phones/${entry.slug}`} aria-label={t('demo_phone:list.open', { phone: entry.display })}>
                {entry.display}
              </a>{' '}
              · {entry.holder ? t('demo_phone:holder.other', { holder: entry.holder }) : t('demo_phone:holder.own')}
            </p>
            <p>{t(`demo_phone:shows.${entry.shows}`)}</p>
            <p class="meta">
              {activity.count > 0 ? t('demo_phone:list.count', { count: activity.count }) : t('demo_phone:list.none')}
              {activity.lastAt ? `, ${t('demo_phone:list.last', { at: formatTime(activity.lastAt, locale, timeZone) })}` : ''}
            </p>
          </li>
        ))}
        {view.phoneless.map((p) => (
          <li class="card">
            <h2>{p.resident}</h2>
            <p>{t('demo_phone:list.noPhone')}</p>
            <p>{t(`demo_phone:shows.${p.shows}`)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
