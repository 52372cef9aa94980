import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * How a cut looks from the service:
 * - `refuse`: every open connection is closed and the port stops listening, so new connections get
 *   ECONNREFUSED at once, as when PostgreSQL restarts or its host reboots;
 * - `blackhole`: nothing is closed; open connections go silent (nothing is forwarded either way) and new ones
 *   are accepted but never reach PostgreSQL, as when a cable is pulled or a firewall drops packets. On
 *   restore the silent connections carry on where they stopped, as TCP does once packets flow again.
 */
export type CutMode = 'refuse' | 'blackhole';

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Bytes that arrived during a black-hole cut, each way, passed on in order at restore. */
  held: { up: Buffer[]; down: Buffer[] };
}

/**
 * A TCP proxy in front of PostgreSQL (or anything), for cutting the service off its database in a test
 * without touching the database itself.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private state: 'open' | CutMode = 'open';
  private listening = true;
  /** Connections accepted over the proxy's life, and those that arrived during a cut. */
  readonly counts = { accepted: 0, duringCut: 0 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new TcpProxy(server, (server.address() as AddressInfo).port, target);
  }

  /** The same database URL with host and port pointing at this proxy. */
  url(databaseUrl: string): string {
    const u = new URL(databaseUrl);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get cutMode(): CutMode | undefined {
    return this.state === 'open' ? undefined : this.state;
  }

  /** Connections open right now (client side). */
  get open(): number {
    return this.pairs.size;
  }

  async cut(mode: CutMode): Promise<void> {
    if (this.state !== 'open') throw new Error(`already cut (${this.state})`);
    this.state = mode;
    if (mode === 'refuse') {
      for (const p of [...this.pairs]) this.drop(p);
      await this.stopListening();
      return;
    }
    // Nothing is closed: what arrives from now on is held back (see forward), so each side waits in silence.
  }

  async restore(): Promise<void> {
    const was = this.state;
    this.state = 'open';
    if (was === 'refuse') {
      await this.listen();
      return;
    }
    for (const p of [...this.pairs]) {
      if (!p.upstream) this.link(p);
      for (const b of p.held.up.splice(0)) p.upstream!.write(b);
      for (const b of p.held.down.splice(0)) p.client.write(b);
    }
  }

  async close(): Promise<void> {
    this.state = 'open';
    for (const p of [...this.pairs]) this.drop(p);
    await this.stopListening();
  }

  private accept(client: Socket) {
    this.counts.accepted++;
    // Between cut('refuse') and the listener closing, a connection may still slip in: refused too.
    if (this.state === 'refuse') return void client.destroy();
    const pair: Pair = { client, upstream: undefined, held: { up: [], down: [] } };
    this.pairs.add(pair);
    client.on('error', () => this.drop(pair));
    client.on('close', () => this.drop(pair));
    client.on('data', (b: Buffer) => this.forward(pair, 'up', b));
    if (this.state === 'open') this.link(pair);
    else this.counts.duringCut++; // black-holed: accepted, never answered until restore
    client.resume();
  }

  private link(pair: Pair) {
    const upstream = connect(this.target.port, this.target.host);
    pair.upstream = upstream;
    upstream.on('error', () => this.drop(pair));
    upstream.on('close', () => this.drop(pair));
    upstream.on('data', (b: Buffer) => this.forward(pair, 'down', b));
  }

  private forward(pair: Pair, way: 'up' | 'down', b: Buffer) {
    if (this.state !== 'open' || (way === 'up' && !pair.upstream)) return void pair.held[way].push(b);
    (way === 'up' ? pair.upstream! : pair.client).write(b);
  }

  private drop(pair: Pair) {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }

  private stopListening(): Promise<void> {
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private listen(): Promise<void> {
    if (this.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      // The same port: the service's URL must stay valid, as a restarted PostgreSQL keeps its address.
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.listening = true;
        resolve();
      });
    });
  }
}
