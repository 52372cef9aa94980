import { defineConfig } from 'vitest/config';

// Browser suites drive the system Chromium (apt-get install chromium); run with `npm run test:browser`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
