import type { Translate } from '../types.ts';

// What a resident who proposed a family (usulan), disputed a recipient (sanggahan) or reported wrong data
// hears after the verification meeting (musyawarah): the result, and the officer's note when there is one.

export function proposalOutcomeText(t: Translate, p: { trackingId: string; category: string; outcome: string; note: string }): string {
  return [
    t(`proposals:message.${p.outcome}`, { trackingId: p.trackingId, kind: t(`proposals:kinds.${p.category}`) }),
    p.note ? t('proposals:message.note', { note: p.note }) : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}
