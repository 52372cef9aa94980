// A progress bar on the terminal: bytes read of the file's size. Drawn only on a TTY (a CI log or a
// redirected stderr gets nothing), redrawn at most ten times a second.

export interface Progress {
  update(bytes: number): void;
  /** Draws the full bar when the file was read to the end; otherwise just ends the line. */
  done(complete?: boolean): void;
}

const WIDTH = 30;

export function progressBar(stream: NodeJS.WriteStream, total: number, label: string): Progress {
  if (!stream.isTTY || total <= 0) return { update() {}, done() {} };
  let last = -Infinity;
  const draw = (bytes: number) => {
    const share = Math.min(1, bytes / total);
    const filled = Math.round(share * WIDTH);
    const mb = (n: number) => (n / 1_048_576).toFixed(1);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${mb(bytes)}/${mb(total)} MB`);
  };
  return {
    update(bytes) {
      const t = performance.now();
      if (t - last < 100) return;
      last = t;
      draw(bytes);
    },
    done(complete = true) {
      if (complete) draw(total);
      stream.write('\n');
    },
  };
}
