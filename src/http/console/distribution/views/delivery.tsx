import type { TFunction } from 'i18next';
import { DELIVERY_PATHS, DELIVERY_STATES, type DeliveryState } from '../../../../domain/delivery.ts';
import type { EventDelivery } from '../../../../services/distribution/delivery.ts';
import { PALETTE, StackedBarChart } from '../../shell/charts.tsx';
import { NS } from './page.tsx';

// How the event's invitations went out, on the progress page: one stacked bar per path (chat, WhatsApp,
// paper) split by how far the invitation got, the same figures as a table, and why the failed ones failed.
// Figures and kinds only, never a resident or a provider's own words. Delivery reports change the outbox, not
// the invitations the page's stream watches, and the count is heavier than the rest: the card reloads itself
// once a minute from its own scope-checked route instead of at every check-in.

/** Reached is green and blue, on its way grey, not reached warm: the eye finds the trouble first. */
const STATE_COLOR: Record<DeliveryState, string> = {
  read: PALETTE[2]!,
  delivered: PALETTE[0]!,
  sent: PALETTE[5]!,
  pending: '#b9c7c0',
  failed: PALETTE[4]!,
  skipped: PALETTE[1]!,
  none: PALETTE[6]!,
};

export function DeliveryCard({ t, eventId, d }: { t: TFunction; eventId: number; d: EventDelivery }) {
  const stateLabel = (s: DeliveryState) => t(`outreach:delivery.${s}`);
  const pathLabel = (p: string) => t(`outreach:path.${p}`);
  return (
    <section
      id="progress-delivery"
      class="card"
      aria-labelledby="h-delivery"
      data-testid="delivery"
      hx-get={`/console/distribution/${eventId}/progress/delivery`}
      hx-trigger="every 60s"
      hx-swap="outerHTML"
    >
      <h2 id="h-delivery">{t(`${NS}:progress.delivery.title`)}</h2>
      <p class="meta">{t(`${NS}:progress.delivery.intro`)}</p>
      <StackedBarChart
        id="delivery-chart"
        title={t(`${NS}:progress.delivery.chartTitle`)}
        columnLabel={t(`${NS}:progress.delivery.path`)}
        totalLabel={t(`${NS}:progress.delivery.total`)}
        tableLabel={t(`${NS}:progress.delivery.table`)}
        columns={DELIVERY_PATHS.map((p) => ({ key: p, label: pathLabel(p), values: d.matrix[p] }))}
        series={DELIVERY_STATES.map((s) => ({ key: s, label: stateLabel(s), color: STATE_COLOR[s] }))}
      />
      {/* On a phone the table scrolls sideways inside its own box (style-phone.ts): a keyboard reaches it by Tab. */}
      <table data-testid="delivery-table" tabindex={0}>
        <thead>
          <tr>
            <th scope="col">{t(`${NS}:progress.delivery.path`)}</th>
            {DELIVERY_STATES.map((s) => (
              <th scope="col">{stateLabel(s)}</th>
            ))}
            <th scope="col">{t(`${NS}:progress.delivery.total`)}</th>
          </tr>
        </thead>
        <tbody>
          {DELIVERY_PATHS.map((p) => (
            <tr>
              <th scope="row">{pathLabel(p)}</th>
              {DELIVERY_STATES.map((s) => (
                <td data-testid={`delivery-${p}-${s}`}>{String(d.matrix[p][s])}</td>
              ))}
              <td data-testid={`delivery-${p}`}>{String(d.byPath[p])}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t(`${NS}:progress.delivery.total`)}</th>
            {DELIVERY_STATES.map((s) => (
              <td data-testid={`delivery-total-${s}`}>{String(d.byState[s])}</td>
            ))}
            <td>{String(d.total)}</td>
          </tr>
        </tfoot>
      </table>
      <h3>{t(`${NS}:progress.delivery.failures`)}</h3>
      {d.failures.length === 0 ? (
        <p class="meta">{t(`${NS}:progress.delivery.noFailures`)}</p>
      ) : (
        <table data-testid="delivery-failures">
          <thead>
            <tr>
              <th scope="col">{t(`${NS}:progress.delivery.reason`)}</th>
              <th scope="col">{t(`${NS}:progress.delivery.count`)}</th>
            </tr>
          </thead>
          <tbody>
            {d.failures.map((f) => (
              <tr>
                <th scope="row">{t(`outreach:failure.${f.reason}`)}</th>
                <td data-testid={`failure-${f.reason}`}>{String(f.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
