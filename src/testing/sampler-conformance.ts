import { describe, expect, it } from 'vitest';
import { createStudy } from '../study/create.js';
import type { Sampler } from '../search/sampler.js';
import type { Trial } from '../trial/trial.js';
import { TrialPruned } from '../errors.js';

export interface SamplerConformanceOptions {
  /** Trials per check; enough to get past a model-based sampler's start-up phase. */
  readonly nTrials?: number;
  /** False for samplers whose space is fixed in advance (a grid). */
  readonly defineByRun?: boolean;
}

function mixedObjective(trial: Trial): number {
  const x = trial.suggestFloat('x', -3, 5);
  const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  const q = trial.suggestFloat('q', 0, 1, { step: 0.25 });
  const n = trial.suggestInt('n', 1, 9, { step: 2 });
  const units = trial.suggestInt('units', 4, 256, { log: true });
  const opt = trial.suggestCategorical('opt', ['adam', 'sgd', 'rmsprop']);
  return x * x + Math.abs(Math.log10(lr) + 3) + q + n / 10 + units / 256 + (opt === 'adam' ? 0 : 1);
}

/**
 * Checks every sampler must pass: bounds, log and step respected, reproducible with a seed,
 * conditional (define-by-run) parameters, and a history with failed and pruned trials.
 * Call it inside a vitest file with a factory that builds the sampler from a seed.
 */
export function samplerConformance(name: string, makeSampler: (seed: number) => Sampler, options: SamplerConformanceOptions = {}): void {
  const nTrials = options.nTrials ?? 40;
  describe(`sampler conformance: ${name}`, () => {
    it('keeps every value inside its distribution (bounds, log, step, categorical)', async () => {
      const study = await createStudy({ storage: 'memory:', sampler: makeSampler(1) });
      await study.optimize(mixedObjective, { nTrials });
      expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(nTrials);
      for (const t of study.trials) {
        const p = t.params as Record<string, number | string>;
        expect(p['x']).toBeGreaterThanOrEqual(-3);
        expect(p['x']).toBeLessThanOrEqual(5);
        expect(p['lr']).toBeGreaterThanOrEqual(1e-5);
        expect(p['lr']).toBeLessThanOrEqual(1e-1);
        expect([0, 0.25, 0.5, 0.75, 1]).toContain(p['q']);
        expect([1, 3, 5, 7, 9]).toContain(p['n']);
        expect(Number.isInteger(p['units'])).toBe(true);
        expect(p['units']).toBeGreaterThanOrEqual(4);
        expect(p['units']).toBeLessThanOrEqual(256);
        expect(['adam', 'sgd', 'rmsprop']).toContain(p['opt']);
      }
    });

    it('gives the same trials for the same seed, and different ones for another seed', async () => {
      const run = async (seed: number): Promise<unknown[]> => {
        const study = await createStudy({ storage: 'memory:', sampler: makeSampler(seed) });
        await study.optimize(mixedObjective, { nTrials });
        return study.trials.map((t) => t.params);
      };
      const a = await run(7);
      expect(await run(7)).toEqual(a);
      expect(await run(8)).not.toEqual(a);
    });

    it('treats a maximize study as the mirror of minimize: maximizing f proposes exactly what minimizing −f does', async () => {
      const run = async (direction: 'minimize' | 'maximize', sign: 1 | -1): Promise<unknown[]> => {
        const study = await createStudy({ storage: 'memory:', direction, sampler: makeSampler(11) });
        await study.optimize((trial) => sign * mixedObjective(trial), { nTrials });
        return study.trials.map((t) => t.params);
      };
      const maximized = await run('maximize', 1);
      expect(maximized).toEqual(await run('minimize', -1));
      const best = await createStudy({ storage: 'memory:', direction: 'maximize', sampler: makeSampler(11) });
      await best.optimize((trial) => -mixedObjective(trial), { nTrials });
      expect(best.bestValue).toBe(Math.max(...best.trials.map((t) => t.value as number)));
    });

    if (options.defineByRun !== false) {
      it('samples conditional parameters only where the objective asks for them', async () => {
        const study = await createStudy({ storage: 'memory:', sampler: makeSampler(3) });
        await study.optimize(
          (trial) => {
            const kind = trial.suggestCategorical('kind', ['linear', 'tree']);
            if (kind === 'linear') return trial.suggestFloat('alpha', 1e-4, 1, { log: true });
            return trial.suggestInt('depth', 1, 8) / 8;
          },
          { nTrials },
        );
        for (const t of study.trials) {
          const keys = Object.keys(t.params).sort();
          expect(keys).toEqual(t.params['kind'] === 'linear' ? ['alpha', 'kind'] : ['depth', 'kind']);
        }
        const kinds = new Set(study.trials.map((t) => t.params['kind']));
        expect(kinds.size).toBe(2);
      });

      it('copes with failed and pruned trials in the history', async () => {
        const study = await createStudy({ storage: 'memory:', sampler: makeSampler(4) });
        await study.optimize(
          (trial) => {
            const x = trial.suggestFloat('x', 0, 1);
            trial.report(x, 0);
            if (trial.number % 5 === 1) return Number.NaN;
            if (trial.number % 5 === 2) throw new TrialPruned();
            return x;
          },
          { nTrials, catch: true },
        );
        const states = new Set(study.trials.map((t) => t.state));
        expect(states).toEqual(new Set(['COMPLETE', 'FAIL', 'PRUNED']));
        for (const t of study.trials) expect(t.params['x']).toBeGreaterThanOrEqual(0);
      });

      it('copes with a range that changes between trials (dynamic search space)', async () => {
        const study = await createStudy({ storage: 'memory:', sampler: makeSampler(6) });
        await study.optimize(
          (trial) => {
            const high = 1 + (trial.number % 4);
            const x = trial.suggestFloat('x', 0, high);
            const n = trial.suggestInt('n', 0, 2 * high);
            if (x < 0 || x > high || n < 0 || n > 2 * high || !Number.isInteger(n)) throw new Error(`out of range: x=${x}, n=${n}, high=${high}`);
            return x + n;
          },
          { nTrials },
        );
        expect(study.trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(nTrials);
      });

      it('gives valid values to trials asked concurrently and told out of order, reproducibly', async () => {
        const run = async (): Promise<unknown[]> => {
          const study = await createStudy({ storage: 'memory:', sampler: makeSampler(9) });
          await study.optimize(mixedObjective, { nTrials: Math.min(nTrials, 20) });
          const batch = [await study.ask(), await study.ask(), await study.ask(), await study.ask()];
          const values = batch.map((t) => mixedObjective(t));
          for (const i of [2, 0, 3, 1]) await study.tell(batch[i] as Trial, values[i] as number);
          const next = await study.ask();
          mixedObjective(next);
          return study.trials.map((t) => t.params);
        };
        const a = await run();
        for (const p of a as Record<string, number | string>[]) {
          expect(p['x']).toBeGreaterThanOrEqual(-3);
          expect(p['x']).toBeLessThanOrEqual(5);
          expect([1, 3, 5, 7, 9]).toContain(p['n']);
        }
        expect(await run()).toEqual(a);
      });

      it('supports several objectives', async () => {
        const study = await createStudy({ storage: 'memory:', sampler: makeSampler(5), directions: ['minimize', 'maximize'] });
        await study.optimize((trial) => {
          const x = trial.suggestFloat('x', 0, 1);
          return [x, x * x];
        }, { nTrials: Math.min(nTrials, 30) });
        expect(study.trials.filter((t) => t.state === 'COMPLETE').length).toBe(Math.min(nTrials, 30));
      });
    }
  });
}
