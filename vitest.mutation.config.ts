import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// Stryker's runs: only the test files of the target being mutated (stryker.config.mjs sets the list).
const tests = (process.env.TUNELAB_MUTATION_TESTS ?? '').split(',').filter((t) => t !== '');

export default defineConfig({
  ...base,
  test: { ...base.test, include: tests.length > 0 ? tests : ['test/**/*.test.ts'], poolOptions: { forks: { maxForks: 1, minForks: 1 } } },
});
