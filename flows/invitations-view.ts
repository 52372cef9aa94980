import type { StepContext } from '../src/conversation/types.ts';
import type { Option, Reply } from '../src/messages/types.ts';
import { invitationQr } from '../src/messages/notices/distribution.ts';
import type { DeclinedInvitation, UpcomingInvitation } from '../src/services/for-flows.ts';
import { day, mapUrl, menuOption, timeRange, titleOf } from './common.ts';

// What "Undangan saya" (flows/invitations.ts) reads and shows: the household's invitations, open and
// declined, and how one of them is shown. Every view of one open invitation carries its QR, as the pushed
// invitation does (invitationQr); a declined one has none. Only reading and shaping replies here, besides the
// session's `view` (what the prompt showed), which the steps read to know what an answer means.

export function householdOf(ctx: StepContext): number | null {
  return ctx.contact.householdId;
}

export async function upcoming(ctx: StepContext): Promise<UpcomingInvitation[]> {
  const householdId = householdOf(ctx);
  return householdId === null ? [] : ctx.services.invitations.upcomingInvitations(householdId, ctx.now);
}

/** The open invitation being answered (session `invitationId`), if it is still open. */
export async function current(ctx: StepContext): Promise<UpcomingInvitation | undefined> {
  const id = ctx.data.invitationId;
  if (typeof id !== 'number') return undefined;
  return (await upcoming(ctx)).find((i) => i.invitationId === id);
}

/** Declined invitations the household may still take back (their distribution is not over). */
export async function declined(ctx: StepContext): Promise<DeclinedInvitation[]> {
  const householdId = householdOf(ctx);
  return householdId === null ? [] : ctx.services.invitations.declinedInvitations(householdId, ctx.now);
}

export async function currentDeclined(ctx: StepContext): Promise<DeclinedInvitation | undefined> {
  const id = ctx.data.invitationId;
  if (typeof id !== 'number') return undefined;
  return (await declined(ctx)).find((i) => i.invitationId === id);
}

// ---- one invitation ------------------------------------------------------------------------------------

export function placeText(ctx: StepContext, p: { siteName: string; siteAddress: string; latitude: number | null; longitude: number | null }): string {
  const lines = [ctx.t('invitations:detail.site', { site: p.siteName }), ctx.t('invitations:detail.address', { address: p.siteAddress })];
  const url = mapUrl(p.latitude, p.longitude);
  if (url) lines.push(ctx.t('invitations:detail.map', { url }));
  return lines.join('\n');
}

function bringText(ctx: StepContext, inv: UpcomingInvitation): string {
  const docs = inv.documents.map((d) => `• ${ctx.t(`invitations:documents.${d}`, { code: inv.code })}`);
  return [ctx.t('invitations:detail.bring'), ...docs].join('\n');
}

function actionOptions(ctx: StepContext, inv: UpcomingInvitation): Option[] {
  const options: Option[] = [];
  if (inv.status !== 'confirmed') options.push({ id: 'confirm', label: ctx.t('invitations:actions.confirm') });
  options.push(
    { id: 'slot', label: ctx.t('invitations:actions.slot') },
    { id: 'decline', label: ctx.t('invitations:actions.decline') },
    { id: 'proxy', label: ctx.t('invitations:actions.proxy') },
    menuOption(ctx.t),
  );
  return options;
}

/** The invitation itself: what, its code, when, where, its status, with its QR. */
export function detailHead(ctx: StepContext, inv: UpcomingInvitation): Reply {
  const head = [
    ctx.t('invitations:detail.title', { title: titleOf(ctx, inv) }),
    ctx.t('invitations:detail.code', { code: inv.code }),
    ctx.t('invitations:detail.when', { when: timeRange(ctx, inv.startsAt, inv.endsAt) }),
    placeText(ctx, inv),
    ctx.t('invitations:detail.status', { status: ctx.t(`invitations:statuses.${inv.status}`) }),
  ];
  if (inv.round > 1) head.push(ctx.t('invitations:detail.round', { round: inv.round }));
  return { text: head.join('\n'), ...invitationQr(inv.code) };
}

/** One open invitation with what to bring and its four answers (flows/invitations-answers.ts reads them). */
export function detailReplies(ctx: StepContext, inv: UpcomingInvitation): Reply[] {
  ctx.data.view = 'one';
  return [detailHead(ctx, inv), { text: bringText(ctx, inv) }, { text: ctx.t('invitations:actions.prompt'), options: actionOptions(ctx, inv) }];
}

// ---- one declined invitation -------------------------------------------------------------------------

/** What "Saya jadi bisa hadir" offers, alone: right after declining, and under a declined invitation. */
export function restoreAsk(ctx: StepContext, inv: DeclinedInvitation): Reply {
  ctx.data.view = 'declined';
  return {
    text: ctx.t('invitations:declined.ask', { day: day(ctx, inv.startsAt) }),
    options: [{ id: 'restore', label: ctx.t('invitations:declined.restore') }, menuOption(ctx.t)],
  };
}

// No QR: the code of a declined invitation is refused at check-in until it is taken back.
export function declinedReplies(ctx: StepContext, inv: DeclinedInvitation): Reply[] {
  const head = [
    ctx.t('invitations:detail.title', { title: titleOf(ctx, inv) }),
    ctx.t('invitations:detail.code', { code: inv.code }),
    ctx.t('invitations:declined.day', { day: day(ctx, inv.startsAt) }),
    ctx.t('invitations:declined.status'),
  ];
  return [{ text: head.join('\n') }, restoreAsk(ctx, inv)];
}
