import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvalCache } from '../../src/cache/eval-cache.js';
import { createStudy, RandomSampler, type Trial } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tunelab-study-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// No call counter in the objective: a variable from outside would (rightly) turn the cache off.
// The trials not marked cached are the ones the objective ran for.
function objective(trial: Trial): number {
  const kind = trial.suggestCategorical('kind', ['linear', 'tree']);
  const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
  trial.report(lr, 0);
  if (kind === 'tree') return trial.suggestInt('depth', 1, 8) + lr;
  return lr * 2;
}

async function run(cache: EvalCache, seed: number, nTrials = 20) {
  const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed }) });
  await study.optimize(objective, { nTrials, cache });
  calls = study.trials.filter((t) => t.systemAttrs['cached'] !== true).length;
  return study;
}
let calls = 0;

describe('optimize({ cache })', () => {
  it('replays a seeded study from the cache: same values, objective not called, trials marked cached', async () => {
    const cache = new EvalCache({ dir });
    calls = 0;
    const first = await run(cache, 42);
    expect(calls).toBe(20);
    await cache.close();

    const reopened = new EvalCache({ dir }); // a new process would start like this: disk only
    calls = 0;
    const second = await run(reopened, 42);
    expect(calls).toBe(0);
    expect(second.trials.map((t) => [t.params, t.values, t.intermediateValues])).toEqual(first.trials.map((t) => [t.params, t.values, t.intermediateValues]));
    expect(second.trials.every((t) => t.state === 'COMPLETE' && t.systemAttrs['cached'] === true)).toBe(true);
    expect(reopened.stats().diskHits).toBeGreaterThan(0);

    calls = 0;
    const longer = await run(reopened, 42, 25);
    expect(calls).toBe(5);
    expect(longer.trials.slice(0, 20).every((t) => t.systemAttrs['cached'] === true)).toBe(true);
    expect(longer.trials.slice(20).some((t) => t.systemAttrs['cached'] === true)).toBe(false);

    calls = 0;
    await run(reopened, 7);
    expect(calls).toBe(20);
    await reopened.close();
  });

  it('does not serve results across different objectives', async () => {
    const cache = new EvalCache({ dir: false });
    const a = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    await a.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 5, cache });
    const b = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    await b.optimize((t) => t.suggestFloat('x', 0, 1) * 10, { nTrials: 5, cache });
    expect(b.trials.some((t) => t.systemAttrs['cached'] === true)).toBe(false);
    expect(b.trials.map((t) => t.value)).toEqual(a.trials.map((t) => (t.value as number) * 10));
  });
});
