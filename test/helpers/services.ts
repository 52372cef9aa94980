import { DEFAULT_IDENTITY_LIMITS } from '../../src/config.ts';
import { createI18n, type Translator } from '../../src/i18n.ts';
import { servicesBinder, type IdentityEnv, type Services } from '../../src/services/for-flows.ts';
import type { Db } from '../../src/db/client.ts';

/**
 * The identity settings a test engine runs with: the service's defaults, and the demo phones as the channel
 * that reaches registry phones (the seeded demo city has them), so codes can be read back from the outbox.
 */
export function testIdentityEnv(i18n: Translator, overrides: Partial<IdentityEnv> = {}): IdentityEnv {
  return { i18n, defaultLocale: 'id', phoneChannel: 'demo_phone', limits: TEST_LIMITS, ...overrides };
}

/**
 * The service's limits, except that one demo resident may be looked up from many chats a day: suites about
 * other things verify Siti from a fresh chat in every test. Tests of the limits pass DEFAULT_IDENTITY_LIMITS.
 */
export const TEST_LIMITS = { ...DEFAULT_IDENTITY_LIMITS, chatsPerMemberDay: 1000 };

let shared: Promise<Translator> | undefined;

/** bindServices for tests that build an engine by hand: the service's defaults with an Indonesian translator. */
export async function testBinder(overrides: Partial<IdentityEnv> = {}): Promise<(db: Db) => Services> {
  shared ??= createI18n('id');
  return servicesBinder(testIdentityEnv(await shared, overrides));
}
