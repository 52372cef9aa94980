import type { TFunction } from 'i18next';
import type { BroadcastPreview, BroadcastRow } from '../../../../services/broadcasts/index.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf } from '../../shell/layout.tsx';
import { NS, whenText, type PageContext } from './page.tsx';

// The confirmation before a broadcast is sent, scheduled or cancelled: where it goes (by name, or plainly
// "the whole city" when no area was chosen), how many chats on each channel and how many registry phones,
// and when. Its button posts the same action again with confirm=1; "Kembali" changes nothing.

export type BroadcastConfirm = { kind: 'now' } | { kind: 'at'; at: Date; raw: string } | { kind: 'cancel' };

/** "Kec. Batam Kota; Kel. Belian" or "seluruh kota". */
export function areaText(t: TFunction, area: BroadcastPreview['area']): string {
  if (!area) return t(`${NS}:confirm.wholeCity`);
  const parts = [...area.kecamatan.map((name) => t(`${NS}:confirm.kecamatan`, { name })), ...area.kelurahan.map((name) => t(`${NS}:confirm.kelurahan`, { name }))];
  return parts.join('; ');
}

export function BroadcastConfirmCard({ page, session, broadcast: b, preview, confirm: k }: { page: PageContext; session: Session; broadcast: BroadcastRow; preview: BroadcastPreview; confirm: BroadcastConfirm }) {
  const { t } = page;
  const byChannel = new Map<string, number>();
  for (const r of preview.counts) byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + r.count);
  const registry = preview.households.registryPhone;
  const path = k.kind === 'cancel' ? 'cancel' : 'schedule';
  return (
    <section class="card confirm" aria-labelledby="h-confirm" data-testid="confirm" data-kind={k.kind}>
      <h2 id="h-confirm">{t(`${NS}:confirm.title.${k.kind}`)}</h2>
      <dl class="facts">
        <dt>{t(`${NS}:confirm.area`)}</dt>
        <dd data-testid="confirm-area">{preview.area ? areaText(t, preview.area) : <strong>{areaText(t, null)}</strong>}</dd>
        <dt>{t(`${NS}:confirm.chats`)}</dt>
        <dd data-testid="confirm-chats" data-count={String(preview.chats)}>
          {t(`${NS}:confirm.chatCount`, { count: preview.chats })}
          {byChannel.size > 0 ? (
            <ul>
              {[...byChannel].map(([channel, n]) => (
                <li>{`${t(`${NS}:channels.${channel}`)}: ${n}`}</li>
              ))}
            </ul>
          ) : null}
        </dd>
        {registry > 0 ? (
          <>
            <dt>{t(`${NS}:confirm.registry`)}</dt>
            <dd data-testid="confirm-registry">{t(`${NS}:confirm.registryCount`, { count: registry })}</dd>
          </>
        ) : null}
        <dt>{t(`${NS}:confirm.when`)}</dt>
        <dd>{k.kind === 'now' ? t(`${NS}:confirm.now`) : k.kind === 'at' ? whenText(k.at, page) : whenText(b.scheduledAt, page)}</dd>
      </dl>
      <p class="warn">{t(k.kind === 'cancel' ? `${NS}:confirm.cancelNote` : `${NS}:confirm.sendNote`, { count: preview.total })}</p>
      <div class="actions">
        <form method="post" action={`/console/broadcasts/${b.id}/${path}`}>
          <Csrf session={session} />
          <input type="hidden" name="confirm" value="1" />
          {k.kind === 'now' ? <input type="hidden" name="at" value="now" /> : k.kind === 'at' ? <input type="hidden" name="at" value={k.raw} /> : null}
          <button class="primary" type="submit" data-testid="confirm-yes">
            {t(`${NS}:confirm.yes.${k.kind}`)}
          </button>
        </form>
        <a href={`/console/broadcasts/${b.id}`}>{t(`${NS}:confirm.back`)}</a>
      </div>
    </section>
  );
}
