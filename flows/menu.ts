import type { Flow } from '../src/conversation/types.ts';
import { matchIntent, type Intent } from '../src/domain/intents.ts';
import { isLaporReply } from './lapor.ts';

// Each menu entry starts a flow. The order is the numbering residents see ("1" = check my aid).
const ENTRIES: { id: Intent; flow: string; step?: string }[] = [
  { id: 'aid', flow: 'aid' },
  { id: 'invitations', flow: 'invitations' },
  { id: 'complaint', flow: 'complaint' },
  { id: 'status', flow: 'complaint', step: 'statusAsk' },
  { id: 'faq', flow: 'faq' },
  { id: 'officer', flow: 'handover' },
  { id: 'language', flow: 'language' },
];
// Read from what a resident writes but not listed: the data subject's rights, also commands at any step.
const UNLISTED: typeof ENTRIES = [
  { id: 'myData', flow: 'rights', step: 'data' },
  { id: 'deleteHistory', flow: 'rights', step: 'deleteAsk' },
];

export const menu: Flow = {
  id: 'menu',
  start: 'main',
  steps: {
    main: {
      prompt: ({ t }) => [{ text: t('menu:prompt'), options: ENTRIES.map((e) => ({ id: e.id, label: t(`menu:options.${e.id}`) })) }],
      async handle(ctx, answer) {
        const { t } = ctx;
        // LAPOR answers a distribution receipt (flows/lapor.ts), or else opens the complaint flow as before.
        if (answer.kind === 'text' && isLaporReply(answer.text)) return { flow: 'lapor', step: 'report', forward: true };
        // A button or number picks an entry; free text ("cek bansos", "mau lapor") is read for what it means.
        const id = answer.choice ?? matchIntent(answer.text);
        const entry = ENTRIES.find((e) => e.id === id) ?? UNLISTED.find((e) => e.id === id);
        if (entry) return { flow: entry.flow, step: entry.step };
        // Anything else, from a resident with a report still open, is most likely about that report
        // (an answer to the officer's question): it joins the report, and an answered one is reopened.
        if (answer.kind === 'text' && answer.text.length > 0) {
          const joined = await ctx.services.complaints.residentReplied({ contactId: ctx.contact.id, text: answer.text, now: ctx.now, timeZone: ctx.timeZone, messageId: ctx.messageId });
          if (joined) return { say: [{ text: t('menu:forwarded', { trackingId: joined.trackingId }) }], wait: true };
        }
        return { say: [{ text: t('chat:notUnderstood') }], retry: true };
      },
    },
  },
};
