import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../helpers/process.ts';

// The tests and the benchmark start the service as `npm start` does; the memory they measure is that of the
// flags written in package.json, so the two lists must be the same.
describe('npm start', () => {
  it('sets the V8 flags the tests and benchmarks start the service with, and no heap cap', () => {
    const start: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start;
    expect(start).toBe(`node ${SERVICE_NODE_FLAGS.join(' ')} --import tsx src/main.ts`);
    expect(start).not.toContain('max-old-space-size');
  });
});
