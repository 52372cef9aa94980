import { CREATE_USER_USAGE, createUserCommand, type CliDeps } from './create-user.ts';
import { PROPOSALS_USAGE, proposalOutcomesCommand, proposalsExportCommand } from './proposals.ts';
import { RESET_PASSWORD_USAGE, resetPasswordCommand } from './reset-password.ts';

// `npm run cli -- <command> ...`: operator tasks that must work without the console.

const COMMANDS: Record<string, (argv: string[], deps: CliDeps) => Promise<number>> = {
  'create-user': createUserCommand,
  'reset-password': resetPasswordCommand,
  'proposals-export': proposalsExportCommand,
  'proposals-outcomes': proposalOutcomesCommand,
};

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  create-user         create a staff user and print a generated password once
  reset-password      give a staff user a new generated password (printed once) and lift the sign-in hold
  proposals-export    write the verification meeting's CSV of proposals
  proposals-outcomes  read the meeting's results back and tell each resident

${CREATE_USER_USAGE}

${RESET_PASSWORD_USAGE}

${PROPOSALS_USAGE}`;

export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    deps.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    deps.err(`pintu: unknown command '${command}' (npm run cli -- help)`);
    return 2;
  }
  return run(rest, deps);
}

/** Help, and a command that does not exist, need no database: no need to own (or ask the owner of) DATA_DIR. */
export function cliNeedsDatabase(argv: string[]): boolean {
  const [command, ...rest] = argv;
  if (command === undefined || !Object.hasOwn(COMMANDS, command)) return false;
  return !rest.includes('--help') && !rest.includes('-h');
}
