import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, stdoutLog } from './log.ts';
import type { RunningService } from './app/start.ts';

// Start-up errors are one line on stderr and a non-zero exit: an operator reads the line, fixes the setting, retries.
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`pintu: ${err.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel, stdoutLog());
const SHUTDOWN_GRACE_MS = 15_000;

// Signals are taken from the very start: a SIGTERM that arrives while the service starts (the first start
// seeds for a while, and /health already answers before the last step) is answered once start-up is done, by a
// clean stop that closes the database and lets go of DATA_DIR, instead of a kill halfway through.
let service: RunningService | undefined;
let signalled = false;
const stopAndExit = (running: RunningService) =>
  running.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'error while shutting down');
      process.exit(1);
    },
  );
const onSignal = (signal: NodeJS.Signals) => {
  if (signalled) return;
  signalled = true;
  logger.info({ signal }, 'shutting down');
  // If in-flight work hangs, leave anyway: the orchestrator will kill us harder otherwise.
  setTimeout(() => {
    logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  if (service) void stopAndExit(service);
};
process.on('SIGTERM', onSignal);
process.on('SIGINT', onSignal);

try {
  // Imported after the settings are known good, so a bad setting answers at once without loading drivers.
  const { startService } = await import('./app/start.ts');
  service = await startService(config, logger);
  if (signalled) void stopAndExit(service);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  logger.fatal({ err }, 'start-up failed');
  process.stderr.write(`pintu: start-up failed: ${message.split('\n')[0]}\n`);
  process.exit(1);
}
