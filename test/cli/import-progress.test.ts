import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/import/progress.ts';

describe('progressBar', () => {
  it('draws bytes read of the file size on a TTY only', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const bar = progressBar(tty, 4 * 1_048_576, 'registry');
    bar.update(1_048_576);
    bar.done();
    expect(written[0]).toBe('\rregistry [########----------------------]  25%  1.0/4.0 MB');
    expect(written.slice(1)).toEqual(['\rregistry [##############################] 100%  4.0/4.0 MB', '\n']);

    const piped: string[] = [];
    const notTty = progressBar({ isTTY: false, write: (s: string) => piped.push(s) } as unknown as NodeJS.WriteStream, 100, 'registry');
    notTty.update(50);
    notTty.done();
    expect(piped).toEqual([]);
  });
});
