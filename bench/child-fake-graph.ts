import { fork, type ChildProcess } from 'node:child_process';

/** One message the fake Graph API accepted: to whom, as what (`text`, `template`…), and when it arrived (ms). */
export interface GraphSentRecord {
  to: string;
  type: string;
  at: number;
}

/** The fake Graph API started in its own process (bench/fake-graph-process.ts), driven over IPC. */
export class ChildFakeGraph {
  private constructor(
    private readonly child: ChildProcess,
    readonly apiRoot: string,
    readonly token: string,
    readonly phoneNumberId: string,
  ) {}

  static async start(): Promise<ChildFakeGraph> {
    const child = fork(new URL('./fake-graph-process.ts', import.meta.url), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await next<{ apiRoot: string; token: string; phoneNumberId: string }>(child, 'ready');
    return new ChildFakeGraph(child, ready.apiRoot, ready.token, ready.phoneNumberId);
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

  async sent(): Promise<GraphSentRecord[]> {
    this.child.send({ type: 'report' });
    return (await next<{ sent: GraphSentRecord[] }>(this.child, 'report')).sent;
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
    const onExit = (code: number | null) => reject(new Error(`fake Graph API process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
