import { request, type IncomingMessage } from 'node:http';
import { isHolderInfo, type HolderInfo } from './holder.ts';
import { bearer, TOKEN_HEADER, type CommandMessage, type CommandRequest } from './protocol.ts';

// The client end of the control socket: ask who holds DATA_DIR, and have the service run a command.

export type HolderAnswer = { ok: true; holder: HolderInfo } | { ok: false; reason: 'forbidden' | 'no-answer' };

/** `GET /holder`, given up after `timeoutMs`: a holder that does not answer by then is taken as hung. */
export function askHolder(socketPath: string, token: string, timeoutMs: number): Promise<HolderAnswer> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ok: false, reason: 'no-answer' });
    }, timeoutMs);
    const req = request({ socketPath, path: '/holder', method: 'GET', agent: false, headers: { [TOKEN_HEADER]: bearer(token) } }, (res) => {
      readAll(res).then(
        (body) => {
          clearTimeout(timer);
          if (res.statusCode === 403) return resolve({ ok: false, reason: 'forbidden' });
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = undefined;
          }
          resolve(res.statusCode === 200 && isHolderInfo(parsed) ? { ok: true, holder: parsed } : { ok: false, reason: 'no-answer' });
        },
        () => {
          clearTimeout(timer);
          resolve({ ok: false, reason: 'no-answer' });
        },
      );
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve({ ok: false, reason: 'no-answer' });
    });
    req.end();
  });
}

/**
 * `POST /commands`, handing each NDJSON line to `onMessage` as it arrives. Resolves with the exit code the
 * service sent, or 'lost' when the answer ended without one (the connection dropped, the service died): then
 * nobody here knows whether the command did its work.
 */
export function postCommand(
  socketPath: string,
  token: string,
  command: CommandRequest,
  onMessage: (m: CommandMessage) => void,
): Promise<{ exit: number } | { lost: true; status?: number }> {
  return new Promise((resolve) => {
    const body = JSON.stringify(command);
    let exit: number | undefined;
    let settled = false;
    const settle = (status?: number) => {
      if (settled) return;
      settled = true;
      resolve(exit !== undefined ? { exit } : { lost: true, ...(status !== undefined ? { status } : {}) });
    };
    const req = request(
      {
        socketPath,
        path: '/commands',
        method: 'POST',
        agent: false,
        headers: { [TOKEN_HEADER]: bearer(token), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          res.on('end', () => settle(res.statusCode));
          res.on('error', () => settle(res.statusCode));
          return;
        }
        res.setEncoding('utf8');
        let buffered = '';
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            if (!line.trim() || exit !== undefined) continue;
            let m: CommandMessage;
            try {
              m = JSON.parse(line) as CommandMessage;
            } catch {
              continue; // half a line cannot come from the service; ignore what cannot be read
            }
            if ('exit' in m && Number.isInteger(m.exit)) exit = m.exit;
            else onMessage(m);
          }
        });
        res.on('end', () => settle());
        res.on('error', () => settle());
        res.on('close', () => settle());
      },
    );
    req.on('error', () => settle());
    req.end(body);
  });
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (s += c));
    res.on('end', () => resolve(s));
    res.on('error', reject);
  });
}
