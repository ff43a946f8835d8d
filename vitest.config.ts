import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // What a page shows can take seconds to render on two loaded cores (browser tests poll for it); 1 s, the default, was seen to fall short.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 180_000,
    // Engine-backed suites start JVMs; two cores do not take more than two files at once.
    maxWorkers: 2,
    // Once per run: engines in containers where Docker answers, else local processes (one line says which).
    globalSetup: ['test/engines/globalSetup.ts'],
  },
});
