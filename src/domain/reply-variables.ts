// Canned replies say "Yth. Bapak/Ibu {{nama}}, laporan {{nomor_tiket}} ...". The placeholders are filled when
// the reply is sent, on the server, so an officer composes with them but never needs to see a name in full.

export const REPLY_VARIABLES = ['nama', 'nomor_tiket', 'kecamatan', 'petugas'] as const;
export type ReplyVariable = (typeof REPLY_VARIABLES)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders in a text that are not ones we know, e.g. a typo like {{nma}}. */
export function unknownVariables(text: string): string[] {
  const unknown = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (!(REPLY_VARIABLES as readonly string[]).includes(m[1]!)) unknown.add(m[1]!);
  }
  return [...unknown];
}

/**
 * Fills every known placeholder. An empty value takes one neighbouring space with it, so "Bapak/Ibu {{nama}},"
 * becomes "Bapak/Ibu," when the name is not known; the rest of the officer's text is left exactly as typed.
 * Unknown placeholders are the caller's to refuse first.
 */
export function fillVariables(text: string, values: Partial<Record<ReplyVariable, string | null>>): string {
  return text.replace(/( ?)\{\{\s*([^{}]*?)\s*\}\}( ?)/g, (whole, before: string, name: string, after: string) => {
    if (!(REPLY_VARIABLES as readonly string[]).includes(name)) return whole;
    const value = (values[name as ReplyVariable] ?? '').trim();
    if (value !== '') return `${before}${value}${after}`;
    return before && after ? ' ' : '';
  });
}
