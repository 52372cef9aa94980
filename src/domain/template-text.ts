// What Pintu reads in a WhatsApp template's text (as Meta returns it from message_templates): how many
// parameters it takes, whether they are numbered ({{1}}) or named ({{event_title}}), and whether it tells the
// resident how to stop. Pure, so the channel that lists templates and the service that checks them agree.

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export interface Placeholders {
  /** Numbered: the highest index ({{1}}…{{n}}); named: how many distinct names. */
  count: number;
  /** The template uses named parameters ({{event_title}}): Pintu fills numbered ones only. */
  named: boolean;
}

export function placeholders(text: string | null | undefined): Placeholders {
  if (!text) return { count: 0, named: false };
  let highest = 0;
  const names = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    const key = m[1]!;
    if (/^\d+$/.test(key)) highest = Math.max(highest, Number(key));
    else names.add(key);
  }
  // Meta does not let a template mix the two; if one ever did, it could not be filled by position.
  return names.size > 0 ? { count: names.size + highest, named: true } : { count: highest, named: false };
}

/** Whether a text has any placeholder at all (a header or a button that would need its own parameter). */
export function hasPlaceholder(text: string | null | undefined): boolean {
  return !!text && /\{\{\s*[A-Za-z0-9_]+\s*\}\}/.test(text);
}

/**
 * A first message to a number that never wrote must say how to stop (DESIGN.md "Outbound"): the opt-out words
 * every channel honours, BERHENTI or STOP, as words of their own in any case ("Balas BERHENTI …").
 */
export function tellsHowToStop(text: string | null | undefined): boolean {
  return !!text && /(^|[^\p{L}\p{N}])(berhenti|stop)($|[^\p{L}\p{N}])/iu.test(text);
}
