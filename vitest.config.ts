import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Several tests start Python (Optuna, SQLAlchemy) or child Node processes, slow on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Two cores: more forks than that only makes timing-sensitive tests flaky.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    pool: 'forks',
    // Builds the vendored danfojs when missing; then says (or, in CI, fails) when dist/, which worker
    // and child-process tests load, is older than src/. One key: a second `globalSetup` would replace the first.
    globalSetup: ['test/global-setup.ts', 'test/helpers/global-setup.ts'],
  },
});
