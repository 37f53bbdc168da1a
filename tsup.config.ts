import { readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

const benchEntries = Object.fromEntries(
  readdirSync('bench')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [`bench/${f.slice(0, -3)}`, `bench/${f}`]),
);

// Two builds of the library: ESM for `import`, CommonJS for `require` — tslab compiles
// notebook cells to CommonJS, so an ESM-only package could not be loaded there.
// Both formats use code splitting so that `tunelab` and `tunelab/testing` share one copy
// of each class (instanceof checks across the two entries must hold).
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'testing/index': 'src/testing/index.ts',
      // Scripts that worker threads and child processes load by path (src/parallel/locate.ts).
      'parallel/worker-thread': 'src/parallel/worker-thread.ts',
      'parallel/worker-process': 'src/parallel/worker-process.ts',
      // The objective tune() runs in workers, loaded by path.
      'models/model-objective': 'src/models/model-objective.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    splitting: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    shims: true,
    // Classes and functions print with their own names in the REPL and notebooks (Study,
    // show), not esbuild's renamed ones ([class _class9], [Function: show2]).
    keepNames: true,
    external: ['vitest'],
  },
  {
    // Executables: the CLI and the benchmarks (ESM only, run with node).
    // Every bench/*.ts is a benchmark entry, so adding one needs no edit here.
    entry: {
      'cli/main': 'src/cli/main.ts',
      'cli/generate-data': 'src/cli/generate-data.ts',
      ...benchEntries,
    },
    format: ['esm'],
    splitting: true,
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    keepNames: true,
  },
]);
