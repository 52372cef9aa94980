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

// The 1–5 satisfaction question after a service (an aid check, a collection, a chat with an officer, a closed
// complaint): "csat:<satisfactionId>:<score>", so a press answers the very question it came with, however
// many days later. Questions sent before issue 20 carry "csat:<score>" and still count: they rate the chat's
// latest open question. flows/csat.ts takes both.
export const CSAT_OPTION_PREFIX = 'csat:';

export function csatChoice(satisfactionId: number, score: number): string {
  return `${CSAT_OPTION_PREFIX}${satisfactionId}:${score}`;
}

/** 'csat:12:4' → { satisfactionId: 12, score: 4 }; 'csat:4' → { score: 4 }; anything else → null. */
export function parseCsatOption(id: string): { satisfactionId?: number; score: number } | null {
  const m = /^csat:(?:(\d{1,15}):)?([1-5])$/.exec(id);
  if (!m) return null;
  const score = Number(m[2]);
  if (m[1] === undefined) return { score };
  const satisfactionId = Number(m[1]);
  return Number.isSafeInteger(satisfactionId) && satisfactionId > 0 ? { satisfactionId, score } : null;
}

// A distribution receipt's dispute button: "lapor:<invitationId>"; flows/lapor.ts takes them.
export const LAPOR_OPTION_PREFIX = 'lapor:';

/** 'lapor:42' → 42; anything else → null. */
export function parseLaporOption(id: string | undefined): number | null {
  const m = id ? /^lapor:(\d{1,15})$/.exec(id) : null;
  return m ? Number(m[1]) : null;
}
