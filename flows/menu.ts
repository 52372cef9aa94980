import type { Flow } from '../src/conversation/types.ts';
import { matchIntent, type Intent } from '../src/conversation/intents.ts';

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

export const menu: Flow = {
  id: 'menu',
  start: 'main',
  steps: {
    main: {
      prompt: ({ t }) => [{ text: t('menu:prompt'), options: ENTRIES.map((e) => ({ id: e.id, label: t(`menu:options.${e.id}`) })) }],
      handle({ t }, answer) {
        // A button or number picks an entry; free text ("cek bansos", "mau lapor") is read for what it means.
        const id = answer.choice ?? matchIntent(answer.text);
        const entry = ENTRIES.find((e) => e.id === id);
        if (!entry) return { say: [{ text: t('chat:notUnderstood') }], retry: true };
        return { flow: entry.flow, step: entry.step };
      },
    },
  },
};
