// The console on a field officer's phone (390 px and up): what fits, and targets a thumb can hit (44 px).
export const PHONE_STYLE = `
`;
