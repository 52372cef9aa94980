import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the slow attacks of issue 8 (crash, database outage, two service processes, the
// full fuzz run). One file at a time: each starts service processes and loads the two cores by itself.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
