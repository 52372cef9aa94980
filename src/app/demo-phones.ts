import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { demoPhonesSeeded } from '../services/demo-phone/seeded.ts';

/**
 * Whether this service answers the demo phones (/demo/phones and the demo_phone channel). Only for trying
 * Pintu: the embedded database (no DATABASE_URL), holding the demo city, with no WhatsApp channel that could
 * reach the numbers itself. A PostgreSQL deployment never has it, whatever its data: there the registry is
 * real, and a page that writes as a registry phone would be a way around every proof of who a chat is.
 * Decided once at start-up; a WhatsApp switched on later means a restart, which decides again.
 */
export async function demoPhonesWanted(config: Pick<Config, 'database' | 'whatsappCloud' | 'whatsappWeb'>, database: Database): Promise<boolean> {
  if (config.database.url || database.kind !== 'pglite') return false;
  if (config.whatsappCloud || config.whatsappWeb) return false;
  return demoPhonesSeeded(database.db);
}
