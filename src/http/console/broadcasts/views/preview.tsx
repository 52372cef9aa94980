import type { TFunction } from 'i18next';
import type { BroadcastPreview } from '../../../../services/broadcasts/index.ts';
import { NS, refusalText } from './page.tsx';

/**
 * Whom the broadcast reaches before it is sent: the chats by channel and language, the households by path
 * (chat, registry phone on WhatsApp, not reachable and why), whether the WhatsApp template may write first,
 * the last day Meta's limit needs, and the message as each language (and a registry phone) reads it.
 */
export function PreviewCard({ t, preview }: { t: TFunction; preview: BroadcastPreview }) {
  const h = preview.households;
  const reasons = Object.entries(h.notReachedReasons).filter(([, n]) => (n ?? 0) > 0);
  return (
    <section class="card" aria-live="polite">
      <h2>{t(`${NS}:preview.title`)}</h2>
      <p>
        <strong>{t(`${NS}:preview.total`, { count: preview.chats })}</strong>
        {preview.households.registryPhone > 0 ? <strong>{` ${t(`${NS}:preview.registryPhones`, { count: h.registryPhone })}`}</strong> : null}
      </p>
      <p data-testid="broadcast-reach" data-chat={String(h.chat)} data-registry={String(h.registryPhone)} data-not-reached={String(h.notReached)}>
        {t(`${NS}:preview.households`, { chat: h.chat, registry: h.registryPhone, notReached: h.notReached })}
      </p>
      {reasons.length > 0 ? (
        <ul class="meta">
          {reasons.map(([why, n]) => (
            <li>{`${t([`${NS}:notReached.${why}`, `outreach:paperReason.${why}`])}: ${n}`}</li>
          ))}
        </ul>
      ) : null}
      {preview.template?.refused ? (
        <p class="error" role="alert">
          {refusalText(t, preview.template.refused)} ({preview.template.name})
        </p>
      ) : null}
      {preview.lastOpeningAt && preview.dailyLimit ? (
        <p class="meta">{t('outreach:reach.lastDay', { when: preview.lastOpeningAt.toISOString().slice(0, 10), limit: preview.dailyLimit })}</p>
      ) : null}
      {preview.counts.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{t(`${NS}:preview.channel`)}</th>
              <th scope="col">{t(`${NS}:preview.language`)}</th>
              <th scope="col">{t(`${NS}:preview.count`)}</th>
            </tr>
          </thead>
          <tbody>
            {preview.counts.map((r) => (
              <tr>
                <td>{t(`${NS}:channels.${r.channel}`)}</td>
                <td>{t(`${NS}:languages.${r.language}`)}</td>
                <td>{r.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.samples.map((s) => (
        <div>
          <h3>{t(`${NS}:preview.sample`, { language: t(`${NS}:languages.${s.language}`) })}</h3>
          <p class="text card">{s.text}</p>
        </div>
      ))}
      {preview.firstSample ? (
        <div>
          <h3>{t(`${NS}:preview.firstSample`)}</h3>
          <p class="text card">{preview.firstSample}</p>
        </div>
      ) : null}
    </section>
  );
}
