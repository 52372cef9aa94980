import { ConfigError, loadConfig, type Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { openMigrated } from '../../cli/open-database.ts';
import { progressBar, type Progress } from '../../cli/import/progress.ts';
import { existingLockAddress } from './address.ts';
import { postCommand } from './control-client.ts';
import { describeHolder } from './holder.ts';
import { identifyHolder } from './identify.ts';
import { takeOwnership, type Ownership } from './owner.ts';
import { COMMAND_ROLES, SERVICE_ROLE, type CommandMessage, type CommandName } from './protocol.ts';
import { accepts } from './socket-lock.ts';
import { tokenFile } from './token.ts';

// How `npm run import`, `npm run cli` and `npm run seed` reach the embedded database. PGlite must never be
// opened by two processes: each would work on its own copy of the files and overwrite the other's. So:
//   - DATA_DIR free: this process takes it, opens it itself as it always did, and lets go when done;
//   - held by the running service: the service runs the command on its open database and this process relays
//     what it writes, so the import or the new user is in the service at once;
//   - held by another command, or by a holder that does not answer: one line naming it, exit 1.
// With DATABASE_URL, or a setting the command will refuse anyway, none of this applies.

export interface EntryOptions {
  command: CommandName;
  argv: string[];
  env: Record<string, string | undefined>;
  /** False for `--help` and the like: they run at once, without taking or asking anyone. */
  needsDatabase: boolean;
  /**
   * Runs the command in this process. `open` is given when this process owns DATA_DIR: the command opens the
   * database through it, which takes the lock first.
   */
  run(open?: () => Promise<Database>): Promise<number>;
  /** Where a progress bar the service reports is drawn (only on a TTY), and its label. */
  progress?: { stream: NodeJS.WriteStream; label: string };
  /** Where relayed output goes. */
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

/** The command's exit code, from wherever it ran. */
export async function runEntry(opts: EntryOptions): Promise<number> {
  if (!opts.needsDatabase) return opts.run();
  let config: Config;
  try {
    config = loadConfig(opts.env);
  } catch (e) {
    if (e instanceof ConfigError) return opts.run(); // the command says what is wrong, in its own words
    throw e;
  }
  if (config.database.url) return opts.run();

  const address = await existingLockAddress(config.dataDir);
  if (address && (await accepts(address.path))) return relay(opts, config.dataDir, address.path);
  return runHere(opts, config);
}

/**
 * Nobody holds DATA_DIR: open it here, as before, but under the lock. The lock is taken only when the command
 * opens the database, after its arguments were checked, so a mistyped command leaves no trace in DATA_DIR.
 */
async function runHere(opts: EntryOptions, config: Config): Promise<number> {
  const role = COMMAND_ROLES[opts.command];
  let owner: Ownership | null = null;
  const open = async () => {
    owner = await takeOwnership(config.dataDir, role);
    // Someone took it in the instant since we looked: refuse rather than open a second copy.
    if (!owner) throw new Error(await inUseLine(config.dataDir));
    return openMigrated(config);
  };
  try {
    return await opts.run(open);
  } finally {
    await (owner as Ownership | null)?.release();
  }
}

async function inUseLine(dataDir: string): Promise<string> {
  const address = await existingLockAddress(dataDir);
  const holder = address ? await identifyHolder(dataDir, address.path, tokenFile(dataDir)) : undefined;
  return `${dataDir} is in use by ${describeHolder(holder?.info)}; try again when it ends`;
}

/** DATA_DIR is held: have the service run the command, or say who holds it. */
async function relay(opts: EntryOptions, dataDir: string, socketPath: string): Promise<number> {
  const stdout = opts.stdout ?? ((line: string) => console.log(line));
  const stderr = opts.stderr ?? ((line: string) => console.error(line));
  const holder = await identifyHolder(dataDir, socketPath, tokenFile(dataDir));
  if (!holder.answers) {
    const next = holder.waitHelps ? 'try again when it ends, or stop it' : 'run the command as the user that runs it';
    stderr(`pintu: ${dataDir} is in use by ${describeHolder(holder.info)}, ${holder.why}; ${next}`);
    return 1;
  }
  if (holder.info.role !== SERVICE_ROLE) {
    stderr(`pintu: ${dataDir} is in use by ${describeHolder(holder.info)}; try again when it ends`);
    return 1;
  }

  // The service draws nothing on our terminal: its progress comes as numbers and the bar is drawn here.
  let bar: Progress | undefined;
  let last: [number, number] = [0, 0];
  const endBar = () => {
    bar?.done(last[0] >= last[1]);
    bar = undefined;
  };
  const onMessage = (m: CommandMessage) => {
    if ('progress' in m) {
      last = m.progress;
      if (opts.progress) bar ??= progressBar(opts.progress.stream, m.progress[1], opts.progress.label);
      bar?.update(m.progress[0]);
      return;
    }
    endBar();
    if ('out' in m) stdout(m.out);
    else if ('err' in m) stderr(m.err);
  };
  const result = await postCommand(socketPath, holder.token, { command: opts.command, argv: opts.argv, cwd: process.cwd() }, onMessage);
  endBar();
  if ('exit' in result) return result.exit;
  if (result.status !== undefined) {
    stderr(`pintu: ${describeHolder(holder.info)} refused the command (HTTP ${result.status}); it was not run`);
    return 1;
  }
  // Never a success that did not come back: the import may have committed, or not.
  stderr(
    `pintu: lost the connection to ${describeHolder(holder.info)} while it ran the command; ` +
      `whether it did its work is unknown: check in the console before running it again`,
  );
  return 1;
}
