// A button press is stored as the option's id ("aid", "csat:4"), with no words of its own on most channels.
// Staff reading a conversation need what the resident saw and pressed, so the id is read against the options
// of the office's last message before it. An id no earlier message offered (the question is older than the
// page of messages shown) stays the id: it is still what was pressed.

interface StoredMessage {
  direction: 'in' | 'out';
  kind: string;
  body: string | null;
  payload: unknown;
}

function optionsOf(payload: unknown): { id: string; label: string }[] {
  const options = (payload as { options?: unknown } | null)?.options;
  return Array.isArray(options) ? options.filter((o): o is { id: string; label: string } => typeof o?.id === 'string' && typeof o?.label === 'string') : [];
}

function choiceOf(payload: unknown): string | null {
  const choice = (payload as { choice?: unknown } | null)?.choice;
  return typeof choice === 'string' ? choice : null;
}

/** Each message with `chosen`: the label of the option a button press chose, else null. Oldest first in, same order out. */
export function chosenOptions<T extends StoredMessage>(rows: readonly T[]): (T & { chosen: string | null })[] {
  let offered: { id: string; label: string }[] = [];
  return rows.map((m) => {
    if (m.direction === 'out') {
      const options = optionsOf(m.payload);
      if (options.length > 0) offered = options;
      return { ...m, chosen: null };
    }
    if (m.kind !== 'choice') return { ...m, chosen: null };
    const id = choiceOf(m.payload);
    const label = id === null ? null : (offered.find((o) => o.id === id)?.label ?? null);
    return { ...m, chosen: m.body?.trim() ? m.body : (label ?? id) };
  });
}
