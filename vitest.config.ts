import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The browser suite and the slow reliability suite have configs of their own.
    exclude: ['test/browser/**', 'test/reliability/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers than that only makes PGlite and Postgres fight for CPU.
    maxWorkers: 2,
  },
});
