import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.js';

// A real tslab kernel run by Jupyter: the cells are TypeScript compiled by tslab to CommonJS, so
// the objective shipped to the workers is exactly what a notebook user's would be.
// Needs `npx tsup` (the cell requires the built package) and, from apt: jupyter-nbconvert
// python3-nbclient python3-ipykernel, then `npx tslab install --python=/usr/bin/python3`.
const root = resolve(__dirname, '../..');
const bin = join(root, 'node_modules', '.bin');
// scripts/run-notebooks.sh (which CI runs first) registers the kernel in the repository's own
// .jupyter prefix; Jupyter finds it there through JUPYTER_PATH, as in that script.
const repoKernels = join(root, '.jupyter', 'share', 'jupyter');
const jupyterPath = [repoKernels, process.env['JUPYTER_PATH']].filter(Boolean).join(':');
const env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, JUPYTER_PATH: jupyterPath };

function missing(): string | undefined {
  const paths = spawnSync('jupyter', ['--paths', '--json'], { encoding: 'utf8', env });
  if (paths.status !== 0) return 'jupyter is not installed (apt-get install -y jupyter-nbconvert python3-nbclient python3-ipykernel)';
  const dataDirs = (JSON.parse(paths.stdout) as { data: string[] }).data;
  if (!dataDirs.some((d) => existsSync(join(d, 'kernels', 'tslab', 'kernel.json')))) return 'the tslab kernel is not registered (run scripts/run-notebooks.sh once, or npx tslab install --python=/usr/bin/python3)';
  if (!existsSync(join(root, 'dist', 'index.cjs'))) return 'dist/ is not built (npx tsup)';
  return undefined;
}
const skipReason = missing();

const cells = [
  `const { createStudy } = require('tunelab');
const scale: number = 3;
const study = await createStudy({ storage: 'memory:' });
let message = 'no error';
try {
  await study.optimize((trial: any) => trial.suggestFloat('x', 0, 1) * scale, { nTrials: 2, workers: 2 });
} catch (e: any) {
  message = \`\${e.name}: \${e.message}\`;
}
console.log(message);
console.log('trials after the error:', study.trials.length);`,
  `interface Ctx { context: { scale: number } }
interface TrialLike { suggestFloat(name: string, low: number, high: number): number }
async function objective(trial: TrialLike, ctx: Ctx): Promise<number> {
  const x = trial.suggestFloat('x', -2, 2);
  await new Promise((r) => setTimeout(r, 1));
  return ctx.context.scale * x ** 2;
}
await study.optimize(objective, { nTrials: 4, workers: 2, context: { scale: 3 } });
console.log('states:', study.trials.map((t: any) => t.state).join(','));`,
];

describe('parallel trials from a tslab notebook', () => {
  it.skipIf(requireOrSkip(skipReason))('reports an outer variable as ObjectiveScopeError, and runs a compiled TypeScript objective', () => {
    // Inside the repository, so the cell's require('tunelab') resolves to this package (self-reference).
    const dir = mkdtempSync(join(root, '.notebook-test-'));
    try {
      const notebook = {
        cells: cells.map((source, i) => ({ cell_type: 'code', id: `cell${i}`, execution_count: null, metadata: {}, outputs: [], source })),
        metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      writeFileSync(join(dir, 'scope.ipynb'), JSON.stringify(notebook));
      const run = spawnSync('jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--output', 'out.ipynb', 'scope.ipynb'], { cwd: dir, encoding: 'utf8', env, timeout: 170_000 });
      expect(run.status, run.stderr.slice(-2000)).toBe(0);
      const out = JSON.parse(readFileSync(join(dir, 'out.ipynb'), 'utf8')) as { cells: { outputs: { text?: string[] | string }[] }[] };
      const text = out.cells.map((c) => c.outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join(''));
      expect(text[0]).toContain("ObjectiveScopeError: the objective uses 'scale', defined outside the function");
      expect(text[0]).toContain('optimize(objective, { context: { scale } })');
      expect(text[0]).toContain('trials after the error: 0');
      expect(text[1]).toContain('states: COMPLETE,COMPLETE,COMPLETE,COMPLETE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
