import type { Flow, Outcome, StepContext } from '../src/conversation/types.ts';
import type { Reply } from '../src/messages/types.ts';
import { isAnswerIntent, matchIntent, type Intent } from '../src/domain/intents.ts';
import { readComplaintKind, reportsSomeoneInNeed } from '../src/domain/intents/complaint-kind.ts';
import { readInvitationRequest } from '../src/domain/intents/invitation-want.ts';
import { trackingIdIn } from '../src/domain/tracking-id.ts';
import { answerFor } from './answers.ts';
import { isLaporReply } from './lapor.ts';

/** A report about someone else in need (PPKS): the complaint flow, at its first question of that kind. */
const PPKS_REPORT = { flow: 'complaint', step: 'question', data: { category: 'ppks' } };

// Each menu entry starts a flow. The order is the numbering residents see ("1" = check my aid).
const ENTRIES: { id: Intent | 'ppks'; flow: string; step?: string; data?: Record<string, unknown> }[] = [
  { id: 'aid', flow: 'aid' },
  { id: 'invitations', flow: 'invitations' },
  { id: 'complaint', flow: 'complaint' },
  { id: 'ppks', ...PPKS_REPORT },
  { id: 'status', flow: 'complaint', step: 'statusAsk' },
  { id: 'faq', flow: 'faq' },
  { id: 'officer', flow: 'handover' },
  { id: 'language', flow: 'language' },
];
// Read from what a resident writes but not listed: the data subject's rights (also commands at any step), a
// report about someone else's aid, and someone in need now, who goes to a person at once.
const UNLISTED: typeof ENTRIES = [
  { id: 'myData', flow: 'rights', step: 'data' },
  { id: 'deleteHistory', flow: 'rights', step: 'deleteAsk' },
  { id: 'misuse', flow: 'complaint' },
  { id: 'urgentNeed', flow: 'handover' },
];

const entryOf = (id: Intent | string | undefined) => ENTRIES.find((e) => e.id === id) ?? UNLISTED.find((e) => e.id === id);
const start = (e: (typeof ENTRIES)[number]) => ({ flow: e.flow, ...(e.step ? { step: e.step } : {}), ...(e.data ? { data: { ...e.data } } : {}) });

/** "ada orang tua terlantar di jalan": a report about someone else, its kind taken from the words. */
const ppksReport = (): Outcome => ({ flow: 'complaint', step: 'category', data: { suggested: 'ppks' }, forward: true });

/** Where a service intent leads, with what is said first. */
function toService(ctx: StepContext, intent: Intent, text: string): Outcome | undefined {
  const entry = entryOf(intent);
  if (!entry) return undefined;
  // Someone else in need ("ada gelandangan di depan pasar"): reported, not handed to an officer as the writer's
  // own plea would be ("saya belum makan"); the report asks whether they are in danger now.
  if (intent === 'urgentNeed' && reportsSomeoneInNeed(text)) return ppksReport();
  // "mau konfirmasi hadir", "tdk bisa datang": the invitation's answer is read from the same words.
  if (intent === 'invitations') {
    const request = readInvitationRequest(text);
    if (request.want) return { flow: 'invitations', step: 'want', data: { ...request }, forward: true };
  }
  // "mengadu bantuan belum diterima": the kind of report is taken from the words, not asked.
  if (intent === 'complaint' || intent === 'misuse') {
    const kind = readComplaintKind(text);
    if (kind) return { flow: 'complaint', step: 'category', data: { suggested: kind }, forward: true };
  }
  // "cek status ADU-2612-00042": that report, without asking for its number.
  if (intent === 'status') {
    const trackingId = trackingIdIn(text);
    if (trackingId) return { flow: 'complaint', step: 'statusShow', data: { trackingId } };
  }
  const say = intent === 'urgentNeed' ? [{ text: ctx.t('menu:replies.urgent') }] : undefined;
  return { ...(say ? { say } : {}), ...start(entry) };
}

interface Back {
  flow: string;
  step: string;
  data: Record<string, unknown>;
}

export const menu: Flow = {
  id: 'menu',
  start: 'main',
  steps: {
    main: {
      // After a task (the engine sets afterTask): "Ada lagi yang bisa kami bantu?" rather than the first question.
      prompt: ({ t, data }) => [{ text: t(data.afterTask === true ? 'menu:promptAgain' : 'menu:prompt'), options: ENTRIES.map((e) => ({ id: e.id, label: t(`menu:options.${e.id}`) })) }],
      async handle(ctx, answer) {
        const { t } = ctx;
        // LAPOR answers a distribution receipt (flows/lapor.ts), or else opens the complaint flow as before.
        if (answer.kind === 'text' && isLaporReply(answer.text)) return { flow: 'lapor', step: 'report', forward: true };
        // A button or number picks an entry; free text ("cek bansos", "mau lapor") is read for what it means.
        const intent = answer.choice ? undefined : matchIntent(answer.text);
        const entry = entryOf(answer.choice);
        if (entry) return start(entry);
        // Thanks after an officer's answer belong with the report (the service keeps its status as it is).
        if (intent === 'thanks' && answer.kind === 'text') {
          await ctx.services.complaints.residentReplied({ contactId: ctx.contact.id, text: answer.text, now: ctx.now, timeZone: ctx.timeZone, messageId: ctx.messageId });
        }
        // A greeting, thanks or a common question: answered, and the menu stays.
        if (intent && isAnswerIntent(intent)) return { say: await answerFor(ctx, intent, answer.text), retry: true };
        if (intent) {
          const service = toService(ctx, intent, answer.text);
          if (service) return service;
        }
        // Words the lexicon reads as nothing ("ada pengemis di perempatan") that still report someone in need.
        if (!intent && answer.kind === 'text' && reportsSomeoneInNeed(answer.text)) return ppksReport();
        // Anything else, from a resident with a report still open, is most likely about that report
        // (an answer to the officer's question): it joins the report, and an answered one is reopened.
        if (answer.kind === 'text' && answer.text.length > 0) {
          const joined = await ctx.services.complaints.residentReplied({ contactId: ctx.contact.id, text: answer.text, now: ctx.now, timeZone: ctx.timeZone, messageId: ctx.messageId });
          if (joined) return { say: [{ text: t('menu:forwarded', { trackingId: joined.trackingId }) }], wait: true };
        }
        return { say: [{ text: t('chat:notUnderstood') }], retry: true };
      },
    },
    // A question or a request typed at another step (the engine sends it here with where the resident was):
    // a common question is answered and the step asked again; a request for another service goes there; anything
    // else is the step's own answer after all, handed back to it — or, when the step already could not use it
    // (`retried`: what it would have said), that is said and its question asked again.
    elsewhere: {
      prompt: () => [],
      async handle(ctx, answer) {
        const back = ctx.data.back as Back;
        const retried = ctx.data.retried as Reply[] | undefined;
        const returnTo = { flow: back.flow, step: back.step, data: back.data };
        const intent = matchIntent(answer.text);
        // Inside a PPKS report, words of need ("sekarat", "belum makan") are about the person reported: the
        // report asks itself whether they are in danger, rather than hand the reporter to an officer.
        const inPpksReport = back.flow === 'complaint' && back.data.category === 'ppks' && intent === 'urgentNeed';
        const service = intent && !isAnswerIntent(intent) && !inPpksReport ? toService(ctx, intent, answer.text) : undefined;
        // Where the step already could not use the words, a bare "ok" or "halo" is not a question: the step's
        // own explanation ("Mohon tulis sedikit lebih jelas") serves the resident better than "Sama-sama".
        const polite = intent === 'greeting' || intent === 'thanks';
        // Back where they were with its question only: what the step showed before it was just read.
        if (intent && isAnswerIntent(intent) && !(retried && polite)) return { say: await answerFor(ctx, intent, answer.text), ...returnTo, again: true };
        // The flow the resident is already in reads its own words ("laporan" inside a report).
        if (service && 'flow' in service && service.flow !== back.flow) return service;
        if (retried) return { say: retried, ...returnTo, again: true };
        return { ...returnTo, forward: true };
      },
    },
  },
};
