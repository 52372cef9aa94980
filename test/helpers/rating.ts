import { CSAT_OPTION_PREFIX } from '../../src/messages/choices.ts';

/** An outbox payload that is the 1–5 satisfaction question (issue 20): asked after a service, held a while. */
export function isRatingQuestion(payload: unknown): boolean {
  const options = (payload as { options?: { id: string }[] } | null)?.options ?? [];
  return options.some((o) => o.id.startsWith(CSAT_OPTION_PREFIX));
}
