import { fork, type ChildProcess } from 'node:child_process';

export interface SentRecord {
  chatId: string;
  text: string;
  at: number;
}

/** A fake provider started in its own process (bench/fake-telegram-process.ts), driven over IPC. */
export class ChildFakeTelegram {
  private constructor(
    private readonly child: ChildProcess,
    readonly apiRoot: string,
    readonly token: string,
  ) {}

  static async start(): Promise<ChildFakeTelegram> {
    const child = fork(new URL('./fake-telegram-process.ts', import.meta.url), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await next<{ apiRoot: string; token: string }>(child, 'ready');
    return new ChildFakeTelegram(child, ready.apiRoot, ready.token);
  }

  async count(): Promise<number> {
    this.child.send({ type: 'count' });
    return (await next<{ count: number }>(this.child, 'count')).count;
  }

  /** Messages that arrived from `from` (inclusive) to `to` (exclusive), wall-clock ms. */
  async countBetween(from: number, to: number): Promise<number> {
    this.child.send({ type: 'between', from, to });
    return (await next<{ count: number }>(this.child, 'between')).count;
  }

  async sent(): Promise<SentRecord[]> {
    this.child.send({ type: 'report' });
    return (await next<{ sent: SentRecord[] }>(this.child, 'report')).sent;
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'close' });
    await exited;
  }
}

function next<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => reject(new Error(`fake Telegram process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
