/** Reads server-sent events off a response body, each read bounded by a deadline so a missing event fails the test. */
export class EventReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  closed = false;
  // A read that lost the race against a deadline is kept for the next call: dropping it would lose its chunk.
  private pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  constructor(res: Response) {
    this.reader = res.body!.getReader();
  }

  /** The names of the events that arrived, up to and including `name` (or all of them when the deadline passed). */
  async until(name: string, ms = 10_000): Promise<string[]> {
    const seen: string[] = [];
    const deadline = Date.now() + ms;
    for (;;) {
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        if (event) {
          seen.push(event);
          if (event === name) return seen;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return seen;
      let timer: NodeJS.Timeout | undefined;
      this.pending ??= this.reader.read();
      const chunk = await Promise.race([this.pending, new Promise<null>((r) => (timer = setTimeout(() => r(null), left)))]);
      clearTimeout(timer);
      if (chunk === null) return seen;
      this.pending = undefined;
      if (chunk.done) {
        this.closed = true;
        return seen;
      }
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }
}
