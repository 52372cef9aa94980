import type { Step, StepContext } from '../src/conversation/types.ts';
import type { NearbyAgent } from '../src/services/for-flows.ts';
import { menuOption } from './common.ts';

// "Agen/e-warong terdekat", from the aid check's summary (issue 20): where a Sembako family collects its goods,
// the nearest first with address, hours and how far, then a way to report a problem there (a report of aid not
// received, which asks which agent) or back to the summary. A step of the aid flow, kept in its own file.

function kmText(ctx: StepContext, km: number): string {
  return new Intl.NumberFormat(ctx.locale === 'id' ? 'id-ID' : 'en-US', { maximumFractionDigits: 1, minimumFractionDigits: km < 10 ? 1 : 0 }).format(km);
}

function agentLines(ctx: StepContext, a: NearbyAgent): string {
  const where = a.distanceKm === null ? ctx.t('agents:nearby.inKelurahan', { kelurahan: a.kelurahanName }) : ctx.t('agents:nearby.distance', { kelurahan: a.kelurahanName, km: kmText(ctx, a.distanceKm) });
  const lines = [ctx.t('agents:nearby.name', { name: a.name, where })];
  if (a.address) lines.push(ctx.t('agents:nearby.address', { address: a.address }));
  if (a.hours) lines.push(ctx.t('agents:nearby.hours', { hours: a.hours }));
  if (a.phone) lines.push(ctx.t('agents:nearby.phone', { phone: a.phone }));
  return lines.join('\n');
}

export const agentsNearby: Step = {
  async prompt(ctx) {
    const options = [{ id: 'summary', label: ctx.t('agents:nearby.back') }, menuOption(ctx.t)];
    const memberId = ctx.contact.memberId;
    const near = memberId === null ? [] : await ctx.services.agents.nearbyAgents(memberId);
    if (near.length === 0) return [{ text: ctx.t('agents:nearby.none'), options }];
    return [
      { text: [ctx.t('agents:nearby.header'), ...near.map((a) => agentLines(ctx, a))].join('\n\n') },
      { text: ctx.t('agents:nearby.whatNext'), options: [{ id: 'report', label: ctx.t('agents:nearby.report') }, ...options] },
    ];
  },
  handle(ctx, answer) {
    switch (answer.choice) {
      case 'summary':
        return { goto: 'summary' };
      case 'report':
        // The report asks the program, what went wrong and then which agent, with these agents as buttons.
        return { flow: 'complaint', step: 'question', data: { category: 'not_received', fromAid: true, answers: {} } };
      default:
        return { say: [{ text: ctx.t('chat:notUnderstood') }], retry: true };
    }
  },
};
