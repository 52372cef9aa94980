import { setTimeout as sleep } from 'node:timers/promises';
import { askHolder } from './control-client.ts';
import { readHolderFile, type HolderInfo } from './holder.ts';
import { ANSWER_TIMEOUT_MS } from './protocol.ts';
import { readToken } from './token.ts';

// Finding out who holds DATA_DIR: asked over the socket when possible, else read from the holder file.

export type Holder =
  | { answers: true; info: HolderInfo; token: string }
  /**
   * `why` is a clause for the refusal line after the holder's name ("which does not answer", ...); `waitHelps`
   * says whether trying again later can help (not when this user may not read the token).
   */
  | { answers: false; info: HolderInfo | undefined; why: string; waitHelps: boolean };

/**
 * Asks the holder of `socketPath` who it is, within ANSWER_TIMEOUT_MS. A holder that has just bound the socket
 * may not have written its token yet (the file still holds the last one, or none): a 403 or a missing file is
 * retried until the time is up.
 */
export async function identifyHolder(dataDir: string, socketPath: string, tokenPath: string): Promise<Holder> {
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  let why = 'which does not answer';
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    let token: string | undefined;
    try {
      token = await readToken(dataDir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      if (code !== 'ENOENT') {
        // Not ours to read: the holder runs as another user. Waiting will not change that.
        return { answers: false, info: await readHolderFile(dataDir), why: `whose token ${tokenPath} this user cannot read (${code})`, waitHelps: false };
      }
    }
    if (token) {
      const answer = await askHolder(socketPath, token, left);
      if (answer.ok) return { answers: true, info: answer.holder, token };
      if (answer.reason === 'no-answer') break;
      why = `which refused the token in ${tokenPath}`;
    }
    await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
  }
  return { answers: false, info: await readHolderFile(dataDir), why, waitHelps: true };
}
