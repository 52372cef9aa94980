// The answer buttons on invitation, move and reminder messages: "inv:<invitationId>:<action>". They are
// pressed days later, from wherever the conversation is; flows/invitations.ts takes them (see choiceRoutes).

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
