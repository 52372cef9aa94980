import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HolderInfo } from './holder.ts';
import { isCommandRequest, SERVICE_ROLE, TOKEN_HEADER, type CommandIo, type CommandMessage, type CommandRequest } from './protocol.ts';
import { tokenMatches } from './token.ts';

// The HTTP server on the lock socket. Every holder answers `GET /holder`, so a refused command can name it.
// Only the service runs commands (`POST /commands`): it runs the very command function the entry point would,
// in its own process, on its own open database, and streams what the command writes back as NDJSON lines,
// ending with the exit code. A command holder answers 409: it is busy with its own work.

export type CommandRunner = (request: CommandRequest, io: CommandIo) => Promise<number>;

export interface ControlServer {
  server: Server;
  /** From now on commands run (until then they wait: the service is still starting). */
  serveCommands(run: CommandRunner): void;
  /** Refuses new commands (and those still waiting for the start-up) and resolves when the running ones have finished. */
  drain(): Promise<void>;
}

const MAX_BODY = 1 << 20;
const PROGRESS_EVERY_MS = 100; // the client's bar redraws ten times a second at most

export function createControlServer(opts: { token: string; holder: () => HolderInfo }): ControlServer {
  let runner: CommandRunner | undefined;
  let state: 'starting' | 'serving' | 'draining' = 'starting';
  const waiting = new Set<() => void>();
  const running = new Set<Promise<unknown>>();
  const wake = () => {
    for (const w of waiting) w();
    waiting.clear();
  };

  async function runCommand(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let request: unknown;
    try {
      request = JSON.parse(await readBody(req));
    } catch {
      return answerJson(res, 400, { error: 'the body must be JSON of at most 1 MB' });
    }
    if (!isCommandRequest(request)) return answerJson(res, 400, { error: 'expected { command, argv, cwd }' });

    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    res.on('error', () => {}); // a client that went away: a command already running still runs to its end
    let clientGone = false;
    res.on('close', () => (clientGone = !res.writableFinished));
    const send = (m: CommandMessage) => {
      if (!clientGone && !res.writableEnded) res.write(`${JSON.stringify(m)}\n`);
    };

    // A command that arrives while the service starts waits for it, instead of being refused for nothing.
    while (state === 'starting') await new Promise<void>((r) => waiting.add(r));
    if (clientGone) return; // its client gave up waiting: it was told the outcome is unknown, so run nothing
    if (state !== 'serving' || !runner) {
      // Stopping, or its start-up failed: either way the database is about to close under the command.
      send({ err: 'pintu: the service that holds DATA_DIR is stopping; the command was not run. Try again when it has stopped.' });
      send({ exit: 1 });
      res.end();
      return;
    }

    let lastProgress = -Infinity;
    const io: CommandIo = {
      out: (line) => send({ out: line }),
      err: (line) => send({ err: line }),
      progress(bytes, total) {
        const now = performance.now();
        if (bytes < total && now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        send({ progress: [bytes, total] });
      },
    };
    const work = runner(request, io).then(
      (code) => send({ exit: code }),
      (e: unknown) => {
        // The entry point would have crashed with this; here the service lives on and says it in one line.
        const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
        send({ err: `pintu: the command failed: ${(cause instanceof Error ? cause.message : String(cause)).split('\n')[0]}` });
        send({ exit: 1 });
      },
    );
    running.add(work);
    try {
      await work;
    } finally {
      running.delete(work);
      res.end();
    }
  }

  const server = createServer((req, res) => {
    if (!tokenMatches(opts.token, req.headers[TOKEN_HEADER])) return answerJson(res, 403, { error: 'wrong or missing control token' });
    const path = (req.url ?? '').split('?')[0];
    if (path === '/holder' && req.method === 'GET') return answerJson(res, 200, opts.holder());
    if (path === '/commands' && req.method === 'POST') {
      if (opts.holder().role !== SERVICE_ROLE) return answerJson(res, 409, { error: 'this holder is a command; it runs no other' });
      runCommand(req, res).catch(() => res.destroy());
      return;
    }
    answerJson(res, 404, { error: 'not found' });
  });

  return {
    server,
    serveCommands(run) {
      if (state !== 'starting') return;
      runner = run;
      state = 'serving';
      wake();
    },
    async drain() {
      if (state === 'starting' || state === 'serving') state = 'draining';
      wake();
      await Promise.allSettled([...running]);
    },
  };
}

function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
