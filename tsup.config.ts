import { readdirSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const benchEntries = Object.fromEntries(
  readdirSync('bench')
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f.slice(0, -3), `bench/${f}`]),
);

// Entries of both builds of the library.
const libraryEntries = {
  index: 'src/index.ts',
  // Scripts that worker threads and child processes load by path (src/parallel/locate.ts).
  'parallel/worker-thread': 'src/parallel/worker-thread.ts',
  'parallel/worker-process': 'src/parallel/worker-process.ts',
  // The objective tune() runs in workers, loaded by path.
  'models/model-objective': 'src/models/model-objective.ts',
};

// Declarations leave out members marked @internal (machinery the optimize loop and the workers
// share, such as Study.askNow). Never mark a constructor @internal: TypeScript would then declare
// a public constructor without parameters.
//
// Source maps map stack traces to src/ file and line (node --enable-source-maps); the sources
// themselves are not embedded (they were 3.15 MB of the 5.1 MB package).
const maps: Pick<Options, 'sourcemap' | 'esbuildOptions'> = {
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
};

// Two builds of the library: ESM for `import`, CommonJS for `require` — tslab compiles
// notebook cells to CommonJS, so an ESM-only package could not be loaded there.
// Each build uses code splitting so that `tunelab` and `tunelab/testing` share one copy
// of each class (instanceof checks across the two entries must hold). `tunelab/testing` is
// ESM only: vitest, which it needs, cannot be loaded with require().
// After tsup, scripts/build-danfojs.mjs adds dist/vendor/danfojs (npm run build runs both).
export default defineConfig([
  {
    entry: { ...libraryEntries, 'testing/index': 'src/testing/index.ts' },
    format: ['esm'],
    dts: { compilerOptions: { stripInternal: true } },
    splitting: true,
    ...maps,
    clean: true,
    target: 'node20',
    shims: true,
    // Classes and functions print with their own names in the REPL and notebooks (Study,
    // show), not esbuild's renamed ones ([class _class9], [Function: show2]).
    keepNames: true,
    external: ['vitest'],
  },
  {
    entry: libraryEntries,
    format: ['cjs'],
    dts: { compilerOptions: { stripInternal: true } },
    splitting: true,
    ...maps,
    target: 'node20',
    shims: true,
  },
  {
    // The `tunelab` command (the package's bin).
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    splitting: true,
    ...maps,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // Development tools, left out of the package (see "files"): the benchmarks (every bench/*.ts,
    // so adding one needs no edit here) and the large-CSV generator.
    entry: { ...benchEntries, 'generate-data': 'src/cli/generate-data.ts' },
    outDir: 'dist/bench',
    format: ['esm'],
    splitting: true,
    ...maps,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    keepNames: true,
  },
]);
