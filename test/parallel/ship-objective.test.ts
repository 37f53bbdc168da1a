import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy, InvalidOptionError, ObjectiveScopeError } from '../../src/index.js';
import { shipObjective } from '../../src/parallel/ship-objective.js';

// What tslab sends for `export function objective(trial) { return helper(trial) * tf.scalar(1)... }` after
// compiling the cell to CommonJS (ES2022): other cells' exports read `exports.x`, imports are renamed `x_1`.
const tslabShaped = `function objective(trial) {
    const x = trial.suggestFloat("x", 0, 1);
    return (0, exports.helper)(x) + tfjs_1.default.scalar(x).dataSync()[0] + Math.abs(x);
}`;

describe('shipping an objective to workers', () => {
  it('names the variables the user wrote, not their compiled forms', () => {
    const fn = new Function(`return ${tslabShaped}`)() as () => number;
    let error: unknown;
    try {
      shipObjective(fn, process.cwd());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ObjectiveScopeError);
    expect((error as ObjectiveScopeError).variables).toEqual(['helper', 'tfjs_1']);
    expect((error as Error).message).toContain("'tfjs_1': TypeScript's name for an import from another cell; require the module inside the objective");
    expect((error as Error).message).toContain('context: { helper, tfjs_1 }');
  });

  it('accepts globals, require and TypeScript helpers, and notes whether TF.js is used', () => {
    const spec = shipObjective(
      async (trial: { suggestFloat(n: string, a: number, b: number): number }, ctx: { tf: { version: unknown } }) =>
        Math.max(0, trial.suggestFloat('x', 0, 1)) + JSON.stringify(ctx.tf.version).length + (typeof structuredClone === 'function' ? 1 : 0),
      process.cwd(),
    );
    expect(spec).toMatchObject({ kind: 'source', usesTf: true });
    expect(shipObjective(new Function('trial', 'return __awaiter(this, void 0, void 0, function* () { return require("node:os").cpus().length; })') as () => number, process.cwd())).toMatchObject({ kind: 'source', usesTf: false });
  });

  it('ends the run when the workers cannot load a module objective', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-objective-'));
    const file = join(dir, 'no-default.mjs');
    writeFileSync(file, 'export const objective = () => 1;');
    const study = await createStudy({ storage: 'memory:' });
    const error = await study.optimize(file, { nTrials: 5, workers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(/could not load the objective .*no default export function/);
    expect(study.trials.every((t) => t.state === 'FAIL')).toBe(true);
    expect(study.trials.length).toBeLessThanOrEqual(2);
  });

  it('does not hang a worker when code the objective left running calls the trial later', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(
      async (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        // Fires during the next trial in this worker, once this one has returned.
        setTimeout(() => {
          try {
            trial.report(1, 0);
          } catch {
            // Expected: the trial is over.
          }
        }, 60);
        await new Promise((r) => setTimeout(r, 40));
        return x;
      },
      { nTrials: 4, workers: 1, trialTimeout: 3 },
    );
    expect(study.trials.map((t) => t.state)).toEqual(Array(4).fill('COMPLETE'));
  });
});
