import { fork, type ChildProcess } from 'node:child_process';
import type { LoadResult, LoadSpec } from './load-generator.ts';

/** bench/load-generator.ts in a process of its own, one run at a time. */
export class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(): Promise<LoadGenerator> {
    const child = fork(new URL('./load-generator.ts', import.meta.url), ['--serve-load'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await reply(child, 'ready');
    return new LoadGenerator(child);
  }

  async run(spec: LoadSpec): Promise<LoadResult> {
    this.child.send({ type: 'run', spec });
    const r = await reply<{ result?: LoadResult; error?: string }>(this.child, 'result');
    if (r.error) throw new Error(`load generator: ${r.error}`);
    return r.result!;
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'close' });
    await exited;
  }
}

/** The next IPC message of `type` from `child`; rejects if the child exits first. */
export function reply<T = unknown>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => reject(new Error(`child process exited (${code}) before '${type}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
