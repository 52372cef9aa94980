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
 * Fills every known placeholder; an empty value leaves no double space or " ," behind ("Bapak/Ibu {{nama}},"
 * becomes "Bapak/Ibu," when the name is not known). Unknown placeholders are the caller's to refuse first.
 */
export function fillVariables(text: string, values: Partial<Record<ReplyVariable, string | null>>): string {
  return text
    .replace(PLACEHOLDER, (whole, name: string) => ((REPLY_VARIABLES as readonly string[]).includes(name) ? (values[name as ReplyVariable] ?? '').trim() : whole))
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.;:!?])/g, '$1');
}
