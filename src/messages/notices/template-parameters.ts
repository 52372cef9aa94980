// The body parameters of each WhatsApp template Pintu fills, in the order it fills them: {{1}} is the first.
// The notices build their parameters through templateParams() below, and a template is checked against the
// same list before staff may choose it (services/outreach/templates.ts), so the two cannot drift apart.
// README ("WhatsApp templates") shows the texts to register with Meta in this order.

export const TEMPLATE_PARAMETERS = {
  /** Event title, "Kamis, 10 Desember 2026 pukul 08.00 WIB sampai 10.00 WIB", "site, address", code, "Undangan ke-2". */
  invitation: ['eventTitle', 'when', 'place', 'code', 'round'],
  /** Event title, when, site name, code. */
  reminder: ['eventTitle', 'when', 'siteName', 'code'],
  /** The whole notice as one text (a moved or cancelled event, a receipt, a broadcast). */
  notice: ['text'],
} as const;

export type TemplatePurpose = keyof typeof TEMPLATE_PARAMETERS;

export type TemplateParamValues<P extends TemplatePurpose> = Record<(typeof TEMPLATE_PARAMETERS)[P][number], string>;

/** The parameters of a template of `purpose` as Meta takes them: by position, in the listed order. */
export function templateParams<P extends TemplatePurpose>(purpose: P, values: TemplateParamValues<P>): string[] {
  return TEMPLATE_PARAMETERS[purpose].map((k) => (values as Record<string, string>)[k]!);
}

/** How many body parameters a template of `purpose` must take. */
export function parameterCountOf(purpose: TemplatePurpose): number {
  return TEMPLATE_PARAMETERS[purpose].length;
}
