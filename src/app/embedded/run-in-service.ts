import { runCli } from '../../cli/commands.ts';
import { seedCommand } from '../../cli/seed/command.ts';
import type { Database } from '../../db/client.ts';
import { importCommand } from '../../cli/import/command.ts';
import type { Logger } from '../../log.ts';
import type { CommandRunner } from './control-server.ts';

// The service's side of `npm run import|cli|seed` while it owns DATA_DIR: the very command functions the entry
// points call, on the service's own open database (lent, so the command's close() leaves it open), with the
// service's settings, and with what they write going back to the terminal that asked.

export function commandRunner(database: Database, env: Record<string, string | undefined>, logger: Logger): CommandRunner {
  const lend = async (): Promise<Database> => ({ ...database, close: async () => {} });
  return async ({ command, argv, cwd }, io) => {
    // Which command only: arguments can hold an email or a file name, and logs hold no personal data.
    const sub = argv[0] && /^[a-z][a-z-]*$/.test(argv[0]) ? argv[0] : undefined;
    logger.info({ command, sub }, 'running a command for a terminal');
    const started = performance.now();
    const deps = { env, out: io.out, err: io.err, open: lend, cwd };
    let code: number;
    switch (command) {
      case 'import':
        code = await importCommand(argv, { ...deps, onProgress: io.progress });
        break;
      case 'cli':
        code = await runCli(argv, deps);
        break;
      case 'seed':
        code = await seedCommand(argv, deps);
        break;
    }
    logger.info({ command, sub, exit: code, ms: Math.round(performance.now() - started) }, 'command done');
    return code;
  };
}
