import { readFileSync } from 'node:fs';

// Meta's OpenAPI document of the Cloud API asks every caller to name itself as `name/x.y.z`; Meta reads it
// when a business asks why requests were refused, and so do we in its logs. Every request Pintu makes to the
// Graph API (sends, media, template listing) carries this one header, with the version of package.json.

const FALLBACK_VERSION = '0.0.0';

/** package.json's "version", read once; a copy without it still names itself in the right shape. */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' && /^\d+\.\d+\.\d+$/.test(pkg.version) ? pkg.version : FALLBACK_VERSION;
  } catch {
    return FALLBACK_VERSION;
  }
}

/** "Pintu/0.1.0". */
export const USER_AGENT = `Pintu/${readVersion()}`;

/** The headers every Graph API request carries: the bearer token and who is asking. */
export function graphHeaders(accessToken: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${accessToken}`, 'User-Agent': USER_AGENT, ...extra };
}
