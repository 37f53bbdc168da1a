// StrykerJS over one target of stryker.targets.mjs, chosen by TUNELAB_MUTATION_TARGET (scripts/mutation.mjs
// sets it and loops over the targets). See README "Mutation testing".
import { resolve } from 'node:path';
import { targets } from './stryker.targets.mjs';

const name = process.env.TUNELAB_MUTATION_TARGET ?? 'cache-keys';
const target = targets[name];
if (!target) throw new Error(`TUNELAB_MUTATION_TARGET=${name} is not one of: ${Object.keys(targets).join(', ')}`);
// Read by vitest.mutation.config.ts in Stryker's test-runner processes, which inherit this environment.
process.env.TUNELAB_MUTATION_TESTS = target.tests.join(',');
// Python reference answers are kept across mutants (test/helpers/python.ts): an absolute path, because the
// test runners work in a sandbox copy of the project that is deleted after the run.
process.env.TUNELAB_PYTHON_MEMO = resolve('reports/mutation/python-memo');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: target.mutate,
  coverageAnalysis: 'perTest',
  // A target may leave out static mutants (code run while modules load or in beforeAll hooks, which
  // Stryker cannot tie to a test and so runs against every test); the report counts them as ignored.
  ignoreStatic: target.ignoreStatic ?? false,
  // The machine is shared: one or two test-runner processes, never one per core.
  concurrency: Number(process.env.TUNELAB_MUTATION_CONCURRENCY ?? 1),
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 80, low: 60, break: null },
  timeoutMS: 20_000,
  timeoutFactor: 3,
  // One sandbox folder per target, so two targets can run side by side without one's clean-up deleting
  // the other's sandbox.
  tempDirName: `.stryker-tmp-${name}`,
  cleanTempDir: 'always',
  ignorePatterns: ['dist', 'reports', 'bench/out', 'notebooks', '.tunelab', '.tunelab-*', '.notebook-test-*', '.stryker-tmp*'],
};
