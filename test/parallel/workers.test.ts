import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy, ObjectiveScopeError, RandomSampler, type Pruner, type Sampler, type Trial } from '../../src/index.js';
import type { Distribution } from '../../src/trial/distributions.js';
import type { FrozenTrial } from '../../src/trial/frozen-trial.js';
import type { StudyView } from '../../src/trial/view.js';

// Worker scripts load from dist/: run `npx tsup` first (npm test does).

/**
 * A rendezvous for the first `parties` trials, on shared memory the objective gets as `ctx.data`:
 * [0] counts arrivals, [1] is the number to wait for. (The objective's own code must do the waiting:
 * it is shipped to the workers as source, so it cannot call a helper from this file.)
 */
function newBarrier(parties: number): Int32Array {
  const b = new Int32Array(new SharedArrayBuffer(8));
  b[1] = parties;
  return b;
}

describe('optimize({ workers })', () => {
  it('runs define-by-run objectives in workers, suggestions decided by the main thread', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 5 }) });
    const barrier = newBarrier(2);
    await study.optimize(
      (trial, ctx) => {
        // The first two trials wait for each other: each worker gets one, however slowly a worker starts.
        const b = (ctx.data as { barrier: Int32Array }).barrier;
        if (trial.number < (b[1] as number)) {
          Atomics.add(b, 0, 1);
          Atomics.notify(b, 0);
          const deadline = Date.now() + 30_000;
          for (let v = Atomics.load(b, 0); v < (b[1] as number); v = Atomics.load(b, 0)) {
            if (Date.now() > deadline) throw new Error(`barrier: ${v} of ${b[1]} trials ran at once in 30 s`);
            Atomics.wait(b, 0, v, 100);
          }
        }
        const kind = trial.suggestCategorical('kind', ['linear', 'mlp']);
        // Conditional space: only mlp trials have 'units'.
        const units = kind === 'mlp' ? trial.suggestInt('units', 4, 64, { log: true }) : 0;
        trial.setUserAttr('thread', require('node:worker_threads').threadId);
        return (ctx.context as { offset: number }).offset + units + trial.suggestFloat('x', -1, 1) ** 2;
      },
      { nTrials: 12, workers: 2, context: { offset: 10 }, data: { barrier } },
    );
    const trials = study.trials;
    expect(trials).toHaveLength(12);
    for (const t of trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.userAttrs['thread']).toBeGreaterThan(0);
      expect('units' in t.params).toBe(t.params['kind'] === 'mlp');
      expect(t.value).toBeCloseTo(10 + ((t.params['units'] as number | undefined) ?? 0) + (t.params['x'] as number) ** 2, 12);
    }
    expect(new Set(trials.map((t) => t.userAttrs['thread'])).size).toBe(2);
  });

  it('reports and prunes through the main thread pruner', async () => {
    const pruner: Pruner = {
      prune: (_view, trial) => {
        const steps = Object.keys(trial.intermediateValues).map(Number);
        return steps.length > 0 && (trial.intermediateValues[Math.max(...steps)] as number) > 0.5;
      },
    };
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 2 }), pruner });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        for (let step = 0; step < 3; step++) {
          trial.report(x * (step + 1) * 0.4, step);
          if (trial.shouldPrune()) throw Object.assign(new Error('pruned'), { name: 'TrialPruned' });
        }
        return x;
      },
      { nTrials: 16, workers: 2 },
    );
    const pruned = study.trials.filter((t) => t.state === 'PRUNED');
    const complete = study.trials.filter((t) => t.state === 'COMPLETE');
    expect(pruned.length).toBeGreaterThan(0);
    expect(complete.length).toBeGreaterThan(0);
    for (const t of pruned) expect(Math.max(...Object.values(t.intermediateValues))).toBeGreaterThan(0.5);
    for (const t of complete) expect(Object.keys(t.intermediateValues)).toHaveLength(3);
  });

  it('takes enqueued params and rethrows the main thread errors in the worker', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.enqueueTrial({ x: 0.25 });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        if (trial.number === 1) trial.suggestInt('x', 0, 5);
        return x;
      },
      { nTrials: 2, workers: 1 },
    );
    const [first, second] = study.trials;
    expect(first?.params['x']).toBe(0.25);
    expect(first?.value).toBe(0.25);
    expect(second?.state).toBe('FAIL');
    expect(second?.systemAttrs['failReason']).toMatch(/^DistributionConflictError: parameter 'x'/);
  });

  it('gives a seeded study with workers: 1 the same trials as in the calling thread', async () => {
    const objective = (trial: Trial): number => {
      const a = trial.suggestFloat('a', -3, 3);
      const b = trial.suggestInt('b', 1, 100, { log: true });
      const c = trial.suggestCategorical('c', ['x', 'y', 'z']);
      return a * b + (c === 'y' ? 1 : 0);
    };
    const run = async (workers: number): Promise<readonly FrozenTrial[]> => {
      const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 42 }) });
      await study.optimize(objective, { nTrials: 15, workers });
      return study.trials;
    };
    const [inThread, inWorker] = [await run(0), await run(1)];
    expect(inWorker.map((t) => [t.params, t.value])).toEqual(inThread.map((t) => [t.params, t.value]));
  });

  it('lets the sampler see the trials still running, with their params (constant liar)', async () => {
    const seen: { sampling: number; running: { number: number; params: string[] }[] }[] = [];
    const inner: Sampler = new RandomSampler({ seed: 0 });
    const sampler: Sampler = {
      inferRelativeSearchSpace: (v, t) => inner.inferRelativeSearchSpace(v, t),
      sampleRelative: (v, t, s) => inner.sampleRelative(v, t, s),
      sampleIndependent: (view: StudyView, trial: FrozenTrial, name: string, d: Distribution) => {
        seen.push({ sampling: trial.number, running: view.runningTrials().filter((r) => r.number !== trial.number).map((r) => ({ number: r.number, params: Object.keys(r.params) })) });
        return inner.sampleIndependent(view, trial, name, d);
      },
    };
    const study = await createStudy({ storage: 'memory:', sampler });
    await study.optimize(
      (trial, ctx) => {
        const x = trial.suggestFloat('x', 0, 1);
        // The first two trials meet here, each holding its 'x': then each samples 'y' while the other runs.
        const b = (ctx.data as { barrier: Int32Array }).barrier;
        if (trial.number < (b[1] as number)) {
          Atomics.add(b, 0, 1);
          Atomics.notify(b, 0);
          const deadline = Date.now() + 30_000;
          for (let v = Atomics.load(b, 0); v < (b[1] as number); v = Atomics.load(b, 0)) {
            if (Date.now() > deadline) throw new Error(`barrier: ${v} of ${b[1]} trials ran at once in 30 s`);
            Atomics.wait(b, 0, v, 100);
          }
        }
        return x + trial.suggestFloat('y', 0, 1);
      },
      { nTrials: 4, workers: 2, data: { barrier: newBarrier(2) } },
    );
    // Some trial sampled while another, already holding its 'x', was still running.
    expect(seen.some((s) => s.running.some((r) => r.params.includes('x')))).toBe(true);
  });

  it('fails at once with ObjectiveScopeError naming an outer variable, before any trial', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const learningRate = 0.1;
    const objective = (trial: Trial): number => trial.suggestFloat('x', 0, 1) * learningRate;
    const error = await study.optimize(objective, { nTrials: 3, workers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectiveScopeError);
    expect((error as Error).message).toContain("'learningRate'");
    expect((error as Error).message).toContain('context: { learningRate }');
    expect((error as Error).message).toContain('module');
    expect(study.trials).toHaveLength(0);
  });

  it('turns a ReferenceError the static check cannot see into ObjectiveScopeError', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const error = await study.optimize((trial) => trial.suggestFloat('x', 0, 1) + (0, eval)('hiddenOuter'), { nTrials: 4, workers: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectiveScopeError);
    expect((error as Error).message).toContain("'hiddenOuter'");
    expect(study.trials).toHaveLength(1);
    expect(study.trials[0]?.state).toBe('FAIL');
  });

  it('runs a module objective (default export) with ctx.tf initialized on wasm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-objective-'));
    const file = join(dir, 'objective.mjs');
    writeFileSync(
      file,
      `export default function objective(trial, ctx) {
        const x = trial.suggestFloat('x', -2, 2);
        trial.setUserAttr('backend', ctx.tf.getBackend());
        const y = ctx.tf.tidy(() => ctx.tf.scalar(x).square().dataSync()[0]);
        return y + ctx.data.offset[0];
      }`,
    );
    const offset = new Float64Array(new SharedArrayBuffer(8));
    offset[0] = 3;
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize(file, { nTrials: 4, workers: 2, data: { offset } });
    for (const t of study.trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.userAttrs['backend']).toBe('wasm');
      expect(t.value).toBeCloseTo((t.params['x'] as number) ** 2 + 3, 5);
      expect(t.systemAttrs['leakedTensors']).toBeUndefined();
    }
  });

  it('reports tensors a trial leaves allocated', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize((trial, ctx) => {
      ctx.tf.ones([4]);
      return trial.suggestFloat('x', 0, 1);
    }, { nTrials: 2, workers: 1 });
    expect(study.trials.map((t) => t.systemAttrs['leakedTensors'])).toEqual([1, 1]);
  });

  it("runs one worker per core with workers: 'auto'", async () => {
    const study = await createStudy({ storage: 'memory:' });
    const barrier = newBarrier(availableParallelism());
    await study.optimize(
      (trial, ctx) => {
        trial.setUserAttr('thread', require('node:worker_threads').threadId);
        // The first `cores` trials wait for each other: every worker gets one.
        const b = (ctx.data as { barrier: Int32Array }).barrier;
        if (trial.number < (b[1] as number)) {
          Atomics.add(b, 0, 1);
          Atomics.notify(b, 0);
          const deadline = Date.now() + 30_000;
          for (let v = Atomics.load(b, 0); v < (b[1] as number); v = Atomics.load(b, 0)) {
            if (Date.now() > deadline) throw new Error(`barrier: ${v} of ${b[1]} trials ran at once in 30 s`);
            Atomics.wait(b, 0, v, 100);
          }
        }
        return trial.suggestFloat('x', 0, 1);
      },
      { nTrials: 3 * availableParallelism(), workers: 'auto', data: { barrier } },
    );
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(new Set(study.trials.map((t) => t.userAttrs['thread'])).size).toBe(availableParallelism());
  });

  it('rejects options workers cannot use before starting any', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await expect(study.optimize((t) => t.suggestFloat('x', 0, 1), { workers: 2, context: { f: () => 1 } })).rejects.toThrow(/optimize\(\{ context \}\).*structured clone/);
    await expect(study.optimize((t) => t.suggestFloat('x', 0, 1), { workers: 2, recycle: { afterTrials: 0 } })).rejects.toThrow("optimize({ recycle.afterTrials }): expected a whole number > 0, got 0");
    // The MiB rename: the old name is refused with the new one, never ignored.
    await expect(study.optimize((t) => t.suggestFloat('x', 0, 1), { workers: 2, recycle: { maxHeapMB: 512 } as never })).rejects.toThrow('optimize({ recycle })({ maxHeapMB }): renamed to maxHeapMiB');
    await expect(study.optimize('./no/such/objective.js', { workers: 1 })).rejects.toThrow(/no module at .*no\/such\/objective\.js/);
    await expect(study.optimize(Math.max as never, { workers: 1 })).rejects.toThrow(/bound or built-in function/);
    expect(study.trials).toHaveLength(0);
  });
});
