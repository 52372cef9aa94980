// The ids of the buttons residents press, as the services that send them and the flows that take them both
// know them. A button may be pressed days later, from wherever the conversation is, so every id says what it
// answers. Pure strings and parsers: nothing here reads the database.

// Invitation, move and reminder messages: "inv:<invitationId>:<action>"; flows/invitations.ts takes them (see choiceRoutes).
export const INVITATION_CHOICE_PREFIX = 'inv:';
export const INVITATION_ACTIONS = ['confirm', 'slot', 'decline', 'proxy'] as const;
export type InvitationAction = (typeof INVITATION_ACTIONS)[number];

export function invitationChoice(invitationId: number, action: InvitationAction): string {
  return `${INVITATION_CHOICE_PREFIX}${invitationId}:${action}`;
}

/** "inv:12:confirm" → { invitationId: 12, action: 'confirm' }; "inv:12" → no action (show it); else null. */
export function parseInvitationChoice(choice: string): { invitationId: number; action?: InvitationAction } | null {
  const m = /^inv:(\d{1,15})(?::([a-z]+))?$/.exec(choice);
  if (!m) return null;
  const invitationId = Number(m[1]);
  if (!Number.isSafeInteger(invitationId)) return null;
  if (m[2] === undefined) return { invitationId };
  const action = INVITATION_ACTIONS.find((a) => a === m[2]);
  return action ? { invitationId, action } : null;
}

// The offer made to a resident whose wait for an officer ran long: make it a report, or keep waiting.
export const HANDOVER_FILE = 'handover:file';
export const HANDOVER_WAIT = 'handover:wait';

// The 1–5 satisfaction question after a complaint is closed: "csat:<score>"; flows/csat.ts takes them.
export const CSAT_OPTION_PREFIX = 'csat:';

/** 'csat:4' → 4; anything else → null. */
export function parseCsatOption(id: string): number | null {
  const m = /^csat:([1-5])$/.exec(id);
  return m ? Number(m[1]) : null;
}

// A distribution receipt's dispute button: "lapor:<invitationId>"; flows/lapor.ts takes them.
export const LAPOR_OPTION_PREFIX = 'lapor:';

/** 'lapor:42' → 42; anything else → null. */
export function parseLaporOption(id: string | undefined): number | null {
  const m = id ? /^lapor:(\d{1,15})$/.exec(id) : null;
  return m ? Number(m[1]) : null;
}
