import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A round-robin HTTP load balancer in front of several service processes, as a deployment puts one in front
 * of its webhooks: each request goes to the next process in turn, whole (body read, then forwarded), and its
 * answer comes back as it was. `counts` says how many requests each process got.
 */
export class RoundRobin {
  readonly counts: number[];
  private next = 0;

  private constructor(
    private readonly server: Server,
    private readonly targets: string[],
  ) {
    this.counts = targets.map(() => 0);
  }

  static async start(targets: string[]): Promise<RoundRobin> {
    let balancer!: RoundRobin;
    const server = createServer((req, res) => {
      balancer.forward(req).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        (err: unknown) => {
          // The process behind did not answer: a 502, as a real balancer gives, so Telegram delivers again.
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
    });
    balancer = new RoundRobin(server, targets);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const i = this.next++ % this.targets.length;
    this.counts[i]!++;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
    const res = await fetch(`${this.targets[i]}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks),
    });
    const type = res.headers.get('content-type');
    return { status: res.status, headers: type ? { 'content-type': type } : {}, body: Buffer.from(await res.arrayBuffer()) };
  }
}
