import { fork } from 'node:child_process';
import { freePort } from '../test/helpers/process.ts';
import { reply } from './load-client.ts';

/** bench/baseline-server.ts in a process of its own, on a free port. */
export async function startBaseline(databaseUrl: string, poolSize: number): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const port = await freePort();
  const child = fork(new URL('./baseline-server.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(poolSize), PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await reply(child, 'ready');
  return {
    url: `http://127.0.0.1:${port}/webhooks/telegram`,
    pid: child.pid!,
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'close' });
      await exited;
    },
  };
}
