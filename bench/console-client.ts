// The console as a browser uses it, for the console benchmark: real HTTP, cookies kept, sign-in through the
// login form, and a reader of server-sent events that notes when each event arrived. (test/helpers/console.ts
// does the same for tests but asserts with vitest, which a benchmark process does not load.)

export class ConsoleBrowser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value === '' || attrs.some((a) => /max-age=0\b/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  post(path: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}

const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

/** Signs in through the login form; answers the session's CSRF token, as the console's forms carry it. */
export async function signIn(b: ConsoleBrowser, email: string, password: string): Promise<string> {
  const form = await (await b.fetch('/console/login')).text();
  const res = await b.post('/console/login', { _csrf: csrfIn(form), email, password });
  await res.body?.cancel();
  if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}, not 303`);
  const csrf = csrfIn(await (await b.fetch('/console/password')).text());
  if (!csrf) throw new Error(`no CSRF token on the console after signing in as ${email}`);
  return csrf;
}

/** Server-sent events off a response body, each with the moment (performance.now()) its bytes arrived. */
export class TimedEvents {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  private queue: { name: string; at: number }[] = [];

  constructor(res: Response) {
    this.reader = res.body!.getReader();
  }

  /** The next event called `name` (others are dropped), or null when `ms` pass or the stream ends first. */
  async next(name: string, ms: number): Promise<{ at: number } | null> {
    const deadline = performance.now() + ms;
    for (;;) {
      const i = this.queue.findIndex((e) => e.name === name);
      if (i >= 0) {
        const e = this.queue[i]!;
        this.queue = this.queue.slice(i + 1);
        return e;
      }
      this.queue = [];
      const left = deadline - performance.now();
      if (left <= 0) return null;
      let timer: NodeJS.Timeout | undefined;
      this.pending ??= this.reader.read();
      const chunk = await Promise.race([this.pending, new Promise<null>((r) => (timer = setTimeout(() => r(null), left)))]);
      clearTimeout(timer);
      if (chunk === null) return null;
      this.pending = undefined;
      if (chunk.done) return null;
      const at = performance.now();
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        if (event) this.queue.push({ name: event, at });
      }
    }
  }

  /** Drops whatever has arrived within `ms` (the first readings of the stream's side events). */
  async drain(ms: number): Promise<void> {
    await this.next('\u0000never', ms);
  }

  close(): Promise<void> {
    return this.reader.cancel().catch(() => {});
  }
}
