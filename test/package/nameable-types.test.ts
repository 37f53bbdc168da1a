import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { plot } from '../../src/index.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// tslab compiles every cell with declaration emit, CommonJS and node10 resolution: a top-level
// `const p = await plot.equity(bt)` fails with TS4023 ("has or is using name 'EquityData' from
// external module ... but cannot be named") when a type in a public return type is not exported.
// The kernel shows that as an empty `<Error>:`. Every value a cell commonly keeps is compiled so here.
const ROOT = resolve(import.meta.dirname, '../..');

function declarationErrors(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'tunelab-nameable-'));
  try {
    const file = join(dir, 'cell.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      target: ts.ScriptTarget.ES2022,
      declaration: true,
      emitDeclarationOnly: true,
      outDir: join(dir, 'out'),
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
    });
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
    return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('public return types can be named in a declaration (tslab cells)', () => {
  it.skipIf(requireOrSkip(DIST_PROBLEM))('every plot method, a tune result and its backtest, kept as top-level consts', () => {
    const methods = Object.keys(plot).filter((k) => typeof (plot as unknown as Record<string, unknown>)[k] === 'function');
    expect(methods).toContain('equity');
    const lines = [
      `import { plot, tune, data, createStudy } from ${JSON.stringify(ROOT)};`,
      'declare const anything: never;',
      ...methods.map((m) => `export const plot_${m} = plot.${m}(anything, anything);`),
      'export const study = createStudy({ storage: "memory:" });',
      'export const dataset = data.windows(anything, anything);',
      'export const result = tune(anything).run();',
      'export const backtest = result.then((r) => r.backtest("linear", { fee: 0.001 }));',
      'export const comparison = result.then((r) => r.compare("linear", { against: "persistence" }));',
      'export const model = result.then((r) => r.load("linear"));',
    ];
    expect(declarationErrors(lines.join('\n'))).toEqual([]);
  });

  it.skipIf(requireOrSkip(DIST_PROBLEM))('the check sees the fault: a type that is not exported cannot be named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-nameable-lib-'));
    try {
      writeFileSync(join(dir, 'lib.d.ts'), 'interface Hidden { x: number }\nexport declare function make(): Hidden;\nexport {};\n');
      const errors = declarationErrors(`import { make } from ${JSON.stringify(join(dir, 'lib'))};\nexport const made = make();\n`);
      expect(errors.join('\n')).toMatch(/cannot be named|private name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
