import type { TFunction } from 'i18next';
import type { BroadcastPreview } from '../../../../services/broadcasts/index.ts';
import { NS } from './page.tsx';

/** How many residents the segment reaches, by channel and language, and the message as each language reads it. */
export function PreviewCard({ t, preview }: { t: TFunction; preview: BroadcastPreview }) {
  return (
    <section class="card" aria-live="polite">
      <h2>{t(`${NS}:preview.title`)}</h2>
      <p>
        <strong>{t(`${NS}:preview.total`, { count: preview.total })}</strong>
      </p>
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
    </section>
  );
}
