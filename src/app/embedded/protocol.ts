import { isAbsolute } from 'node:path';

// What a command and the service that owns DATA_DIR say to each other over the control socket. Kept apart
// from both ends so the client (the three entry points) and the server (the service) agree by construction.

/** The commands that may run inside the service instead of opening DATA_DIR themselves. */
export const COMMAND_NAMES = ['import', 'cli', 'seed'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The role a holder gives itself; a refusal names it so the operator knows which terminal to look at. */
export const SERVICE_ROLE = 'npm start';
export const COMMAND_ROLES: Record<CommandName, string> = {
  import: 'npm run import',
  cli: 'npm run cli',
  seed: 'npm run seed',
};

/** `POST /commands`: argv as typed, and the client's working directory, which relative paths are read against. */
export interface CommandRequest {
  command: CommandName;
  argv: string[];
  cwd: string;
}

/** One NDJSON line of the answer. `exit` comes last; an answer that ends without it did not finish. */
export type CommandMessage = { out: string } | { err: string } | { progress: [number, number] } | { exit: number };

/** Where a running command writes: the same three things an entry point writes to its terminal. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  progress(bytes: number, total: number): void;
}

/**
 * A holder that does not answer /holder within this is taken as hung. Long enough for a service busy with a
 * request, short enough that the operator is not left staring at a silent terminal.
 */
export const ANSWER_TIMEOUT_MS = 3000;

export const TOKEN_HEADER = 'authorization';
export const bearer = (token: string) => `Bearer ${token}`;

export function isCommandRequest(v: unknown): v is CommandRequest {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.command === 'string' &&
    (COMMAND_NAMES as readonly string[]).includes(r.command) &&
    Array.isArray(r.argv) &&
    r.argv.length <= 1000 &&
    r.argv.every((a) => typeof a === 'string') &&
    typeof r.cwd === 'string' &&
    isAbsolute(r.cwd)
  );
}
