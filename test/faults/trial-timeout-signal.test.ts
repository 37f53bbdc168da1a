import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createStudy, data, type ObjectiveContext, type Trial } from '../../src/index.js';
import { DEMO_WINDOWS } from '../../src/cli/demo.js';
import { modelDataOf } from '../../src/models/model-data.js';
import modelObjective, { MODEL_DATA_KEY, type ModelTrialContext } from '../../src/models/model-objective.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// Issue 14 item 8: trialTimeout in this thread, and ctx.signal for every objective (aborted on
// study stop, interrupt and trial timeout), honoured by the TF.js training loop between batches.

const skipNote = (DIST_PROBLEM === undefined) ? '' : ` (skipped: ${DIST_PROBLEM})`;
const never = new Promise<number>(() => {});

function reasons(trials: readonly { state: string; systemAttrs: Readonly<Record<string, unknown>> }[]): string[] {
  return trials.map((t) => (t.state === 'FAIL' ? `FAIL ${String(t.systemAttrs['failReason'])}` : t.state));
}

describe('trialTimeout in this thread', () => {
  it('fails a never-settling async trial as "timeout", aborts its ctx.signal, and goes on', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const signals: AbortSignal[] = [];
    const started = Date.now();
    await study.optimize(
      (trial, ctx) => {
        trial.suggestFloat('x', 0, 1);
        signals.push(ctx.signal);
        return never;
      },
      { nTrials: 2, trialTimeout: 0.2, timeout: 10 },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(reasons(study.trials)).toEqual(['FAIL timeout: the trial ran longer than trialTimeout = 0.2 s', 'FAIL timeout: the trial ran longer than trialTimeout = 0.2 s']);
    expect(signals.map((s) => [s.aborted, s.reason])).toEqual([
      [true, 'timeout: the trial ran longer than trialTimeout = 0.2 s'],
      [true, 'timeout: the trial ran longer than trialTimeout = 0.2 s'],
    ]);
    expect(signals[0]).not.toBe(signals[1]);
  });

  it('fails a synchronous trial that overran when it returns (it cannot be interrupted)', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        const end = Date.now() + (trial.number === 0 ? 250 : 0);
        while (Date.now() < end);
        return x;
      },
      { nTrials: 2, trialTimeout: 0.1 },
    );
    expect(reasons(study.trials)).toEqual(['FAIL timeout: the trial ran longer than trialTimeout = 0.1 s', 'COMPLETE']);
  });
});

describe('ctx.signal', () => {
  it('in this thread: aborted when the run is interrupted by its signal or by study.stop() from a timer', async () => {
    for (const how of ['signal', 'stop'] as const) {
      const study = await createStudy({ storage: 'memory:' });
      const controller = new AbortController();
      let seen: AbortSignal | undefined;
      setTimeout(() => (how === 'signal' ? controller.abort() : study.stop()), 150);
      await study.optimize(
        (trial, ctx) => {
          trial.suggestFloat('x', 0, 1);
          seen = ctx.signal;
          return never;
        },
        { nTrials: 3, signal: controller.signal, timeout: 10 },
      );
      expect(seen?.aborted).toBe(true);
      expect(seen?.reason).toBe('interrupted');
      expect(reasons(study.trials)).toEqual(['FAIL interrupted']);
    }
  });

  it.skipIf(requireOrSkip(DIST_PROBLEM))(`is an AbortSignal, not aborted while the trial runs, in worker threads and child processes${skipNote}`, async () => {
    for (const executor of ['thread', 'process'] as const) {
      const study = await createStudy({ storage: 'memory:' });
      await study.optimize((trial, ctx) => (trial.suggestFloat('x', 0, 1), ctx.signal instanceof AbortSignal && !ctx.signal.aborted ? 1 : 0), { nTrials: 2, workers: 1, executor });
      expect(study.trials.map((t) => t.value)).toEqual([1, 1]);
    }
  });

  it('stops a TF.js fit between batches: a long in-thread training trial ends at trialTimeout and frees its tensors', async () => {
    const ds = await data.windows(data.csv(fileURLToPath(new URL('../../datasets/btc-usd-1d.csv', import.meta.url))), { ...DEMO_WINDOWS, lookback: 10 });
    const study = await createStudy({ storage: 'memory:' });
    const tensorsBefore = tf.memory().numTensors;
    const started = Date.now();
    let fitEnded: Promise<unknown> | undefined;
    await study.optimize(
      (trial: Trial, ctx: ObjectiveContext<ModelTrialContext>) => {
        // Far more epochs than the timeout allows, and no early stop.
        const fit = modelObjective(trial, ctx);
        fitEnded = fit.then(
          () => 'returned',
          (e: unknown) => String(e),
        );
        return fit;
      },
      { nTrials: 1, trialTimeout: 1, data: { [MODEL_DATA_KEY]: modelDataOf(ds) }, context: { family: 'mlp', epochs: 100_000, patience: 100_000, seed: 1 }, timeout: 30 },
    );
    expect(reasons(study.trials)).toEqual(['FAIL timeout: the trial ran longer than trialTimeout = 1 s']);
    // The fit itself, left behind by the timeout, stops within a batch or two.
    const how = await Promise.race([fitEnded, new Promise((r) => setTimeout(() => r('still training'), 3000))]);
    expect(how).toBe('Error: the fit was stopped: timeout: the trial ran longer than trialTimeout = 1 s');
    expect(Date.now() - started).toBeLessThan(6000);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 60_000);
});
