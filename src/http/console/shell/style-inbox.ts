// The live inbox and the conversation view: rows to triage, a conversation with its reply box pinned.
export const INBOX_STYLE = `
`;
