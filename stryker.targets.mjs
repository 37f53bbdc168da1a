// What `npm run test:mutation` mutates, one target at a time, and the test files that cover each.
// A target is run alone (own Stryker process, own incremental file), so the 2-core machine runs
// only the tests that matter for the files being mutated. When a source file moves, update its
// glob here: the `mutate` lists are the only place that names source paths.
export const targets = {
  'cache-keys': {
    mutate: ['src/cache/keys.ts'],
    tests: ['test/cache/keys.test.ts', 'test/cache/eval-cache.test.ts'],
  },
  'render-html-table': {
    mutate: ['src/render/html.ts', 'src/render/table.ts', 'src/render/text.ts'],
    tests: ['test/render/renderers.test.ts', 'test/render/table-structure.test.ts', 'test/render/view-models.test.ts'],
  },
  'data-csv-parser': {
    mutate: ['src/data/csv-parser.ts', 'src/data/split-record.ts'],
    // csv-misreads holds the parser's property tests (a reference RFC 4180 parser, a read boundary at every byte).
    tests: ['test/data/csv.test.ts', 'test/faults/csv-misreads.test.ts'],
  },
  'data-windows-scaler': {
    mutate: ['src/data/windows/*.ts'],
    tests: ['test/data/windows.test.ts', 'test/data/scaler.test.ts', 'test/data/windows-reference.test.ts', 'test/data/window-options.test.ts'],
  },
  'search-pruners': {
    mutate: ['src/search/pruners/**/*.ts'],
    // Without optuna-crosscheck.test.ts: it starts Python for every mutant (an hour on two cores), and the
    // unit tests beside it are meant to stand on their own.
    tests: ['test/search/pruners/helpers.test.ts', 'test/search/pruners/conformance.test.ts', 'test/search/pruners/hyperband.test.ts', 'test/search/pruners/options.test.ts', 'test/search/pruners/percentile.test.ts', 'test/search/pruners/successive-halving.test.ts'],
  },
  // The samplers, one target per family: all of src/search/samplers at once is about 4,000 mutants, a day on
  // two cores, and a change to one family should not re-run the others' tests.
  // TPE in three targets, for the reason the GP below is split: with the whole folder mutated (1,826 mutants)
  // Stryker's planner put the run at six to seven hours, each mutant re-running studies and a 50,000-draw
  // Kolmogorov–Smirnov test through instrumented erf and truncated-normal code.
  'search-tpe-numerics': {
    mutate: ['src/search/samplers/tpe/erf.ts', 'src/search/samplers/tpe/truncnorm.ts', 'src/search/samplers/tpe/weights.ts'],
    tests: ['test/search/tpe/erf.test.ts', 'test/search/tpe/truncnorm.test.ts', 'test/search/tpe/weights.test.ts', 'test/search/tpe/mixture.test.ts', 'test/search/tpe/parzen-estimator.test.ts'],
  },
  'search-tpe-estimator': {
    mutate: ['src/search/samplers/tpe/mixture.ts', 'src/search/samplers/tpe/parzen-estimator.ts'],
    tests: ['test/search/tpe/mixture.test.ts', 'test/search/tpe/parzen-estimator.test.ts', 'test/search/tpe/acquisition.test.ts', 'test/search/tpe/categorical-distance.test.ts'],
  },
  'search-tpe-sampler': {
    mutate: ['src/search/samplers/tpe/sampler.ts', 'src/search/samplers/tpe/history.ts', 'src/search/samplers/tpe/split.ts', 'src/search/samplers/tpe/groups.ts', 'src/search/samplers/tpe/motpe.ts'],
    tests: ['test/search/tpe/*.test.ts'],
  },
  // The GP in three targets: Stryker's instrumentation makes inner loops about ten times slower, so with
  // everything mutated at once every mutant re-ran whole studies through instrumented Cholesky and kernel
  // loops (a run of eight hours). The numerics and the model (gp.ts, whose kernel rows are the hottest loop)
  // are held to their unit tests and to Optuna's recorded numbers; the sampler's own files are run with
  // every GP test, studies included, over uninstrumented numerics.
  'search-gp-numerics': {
    mutate: ['src/search/samplers/gp/linalg.ts', 'src/search/samplers/gp/exp-negative.ts', 'src/search/samplers/gp/golden-section.ts', 'src/search/samplers/gp/lbfgsb.ts', 'src/search/samplers/gp/log-ei.ts', 'src/search/samplers/gp/power-transform.ts'],
    tests: ['test/search/gp/numerics.test.ts', 'test/search/gp/lbfgsb.test.ts', 'test/search/gp/log-ei.test.ts', 'test/search/gp/power-transform.test.ts', 'test/search/gp/optuna-reference.test.ts'],
  },
  'search-gp-model': {
    mutate: ['src/search/samplers/gp/gp.ts'],
    tests: ['test/search/gp/numerics.test.ts', 'test/search/gp/optuna-reference.test.ts'],
  },
  'search-gp-sampler': {
    mutate: ['src/search/samplers/gp/acquisition.ts', 'src/search/samplers/gp/optimize.ts', 'src/search/samplers/gp/search-space.ts', 'src/search/samplers/gp/sampler.ts', 'src/search/samplers/gp/standardize.ts'],
    tests: ['test/search/gp/*.test.ts'],
  },
  'search-cmaes': {
    mutate: ['src/search/samplers/cmaes/*.ts'],
    tests: ['test/search/cmaes/*.test.ts'],
  },
  'search-qmc': {
    // sobol-data.ts is Joe and Kuo's direction numbers, a table: the sequence tests check it against scipy.
    mutate: ['src/search/samplers/qmc/*.ts', '!src/search/samplers/qmc/sobol-data.ts'],
    tests: ['test/search/qmc/*.test.ts'],
  },
  'search-samplers-base': {
    mutate: ['src/search/samplers/*.ts', 'src/search/samplers/auto/*.ts'],
    // Grid is driven through studies in study.test.ts; from-unit through QMC, sample-uniform through TPE.
    tests: ['test/search/sampler-conformance.test.ts', 'test/search/grid.test.ts', 'test/search/uniform-draws.test.ts', 'test/search/auto/*.test.ts', 'test/study/study.test.ts', 'test/search/qmc/sampler.test.ts', 'test/search/tpe/acquisition.test.ts'],
  },
  'search-nsgaii': {
    mutate: ['src/search/samplers/nsgaii/*.ts'],
    tests: ['test/search/nsgaii/*.test.ts'],
  },
  'storage-codecs': {
    mutate: ['src/storage/level/record-codec.ts', 'src/storage/postgres/codec.ts', 'src/storage/journal/*.ts'],
    // The fault tests are where non-finite values, damaged journals and persisted recovery go through the
    // codecs; the conformance suites write and read every field of a trial through both storages.
    tests: ['test/storage/level/record-codec.test.ts', 'test/storage/level/level-storage.test.ts', 'test/storage/journal/*.test.ts', 'test/storage/postgres.test.ts', 'test/storage/level/conformance.test.ts', 'test/storage/postgres-conformance.test.ts', 'test/faults/journal-nonfinite.test.ts', 'test/faults/level-recovery-persisted.test.ts', 'test/faults/level-damaged-dir.test.ts'],
  },
  'storage-level': {
    mutate: ['src/storage/level/*.ts'],
    // Stryker's planner counted 265 of its 622 mutants as static (the conformance and fault suites open
    // their stores in beforeAll hooks) and put them at 81% of a run of three hours or more. Ignoring static
    // mutants left 19 out of the score, and the run took 19 minutes at concurrency 2.
    ignoreStatic: true,
    // With the fault tests that damage, fill, lock and kill real LevelDB stores (kill-loop is left out: its
    // child processes load dist/, not the mutated sources).
    tests: ['test/storage/level/record-codec.test.ts', 'test/storage/level/level-storage.test.ts', 'test/storage/level/open-checks.test.ts', 'test/storage/level/write-queue.test.ts', 'test/storage/level/reopen.test.ts', 'test/storage/level/in-flight.test.ts', 'test/storage/level/conformance.test.ts', 'test/faults/level-damaged-dir.test.ts', 'test/faults/level-failed-write.test.ts', 'test/faults/level-recovery-persisted.test.ts', 'test/faults/lock-release.test.ts', 'test/faults/journal-nonfinite.test.ts'],
  },
  'models-train': {
    mutate: ['src/models/train.ts'],
    tests: ['test/models/models.test.ts', 'test/models/train.test.ts'],
  },
};
