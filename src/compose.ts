import { flows } from '../flows/index.ts';
import { WebchatHub } from './channels/webchat/hub.ts';
import type { Config } from './config.ts';
import { createEngine } from './conversation/engine.ts';
import type { Database } from './db/client.ts';
import type { AppDeps } from './http/context.ts';
import { createI18n } from './i18n.ts';
import type { Logger } from './log.ts';
import { bindServices } from './services/index.ts';

/** Everything the HTTP app needs, built over one database. Used by the service and by tests alike. */
export async function composeApp(
  database: Database,
  config: Pick<Config, 'defaultLocale' | 'timezone'>,
  logger: Logger,
  opts: { clock?: () => Date; webchatPollMs?: number } = {},
): Promise<AppDeps> {
  const i18n = await createI18n(config.defaultLocale);
  const engine = createEngine({
    database,
    flows,
    i18n,
    logger,
    defaultLocale: config.defaultLocale,
    timeZone: config.timezone,
    bindServices,
    clock: opts.clock,
  });
  const webchat = new WebchatHub(database, logger, opts.webchatPollMs);
  return { database, i18n, logger, defaultLocale: config.defaultLocale, engine, webchat, components: new Map() };
}
