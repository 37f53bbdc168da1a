import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStudy, type Trial } from '../../src/index.js';
import { describeError, describeValue } from '../../src/util/describe.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// Issue 14 item 9: whatever an objective throws, describing it never throws. In this thread the
// trial must end FAIL with catch: true (not stay RUNNING with optimize rejecting); in a worker it
// must not become "worker crashed"; a child process must not die.

const skipNote = (DIST_PROBLEM === undefined) ? '' : ` (skipped: ${DIST_PROBLEM})`;

/** Values a buggy or hostile objective may throw. */
function hostile(kind: number): unknown {
  const boom = (): never => {
    throw new Error('boom');
  };
  switch (kind) {
    case 0:
      return Object.create(null);
    case 1:
      return { toString: boom };
    case 2:
      return Object.defineProperty(new Error('x'), 'message', { get: boom });
    case 3:
      return new Proxy({}, { get: boom, getPrototypeOf: boom, ownKeys: boom, has: boom, getOwnPropertyDescriptor: boom });
    case 4:
      return new Proxy(new Error('inside'), { get: boom, getPrototypeOf: boom });
    case 5: {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }
    case 6:
      return { [Symbol.toPrimitive]: boom, get message() { return boom(); }, get name() { return boom(); } };
    case 7:
      return Symbol('thrown');
    default:
      return Object.defineProperty(Object.create(null), 'stack', { get: boom });
  }
}
const KINDS = 9;

// The arbitrary yields a recipe, built inside the property: fast-check itself inspects what it
// generates (a Proxy whose traps throw would break the generator, not the code under test).
type Recipe = { readonly hostile: number } | { readonly plain: unknown };
const anyRecipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc.integer({ min: 0, max: KINDS - 1 }).map((k) => ({ hostile: k })),
  fc.anything().map((v) => ({ plain: v })),
  fc.string().map((m) => ({ plain: new Error(m) })),
);
const build = (r: Recipe): unknown => ('hostile' in r ? hostile(r.hostile) : r.plain);

describe('describeError', () => {
  it('never throws and always says something, whatever was thrown', () => {
    fc.assert(
      fc.property(anyRecipe, (recipe) => {
        const value = build(recipe);
        const text = describeError(value);
        expect(typeof text).toBe('string');
        expect(text.length).toBeGreaterThan(0);
        expect(typeof describeValue(value)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});

describe('an objective that throws an unprintable value', () => {
  it('in this thread with catch: true: every trial ends FAIL with a reason, the run goes on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyRecipe, { minLength: 1, maxLength: 5 }), async (recipes) => {
        const values = recipes.map(build);
        const study = await createStudy({ storage: 'memory:' });
        await study.optimize(
          (trial: Trial) => {
            trial.suggestFloat('x', 0, 1);
            throw values[trial.number];
          },
          { nTrials: values.length, catch: true, maxConsecutiveFailures: Infinity },
        );
        expect(study.trials.map((t) => t.state)).toEqual(values.map(() => 'FAIL'));
        for (const t of study.trials) expect(typeof t.systemAttrs['failReason']).toBe('string');
      }),
      { numRuns: 60 },
    );
  });

  it('in this thread with catch: false: optimize rejects with the value itself and the trial is FAIL, not RUNNING', async () => {
    for (let kind = 0; kind < KINDS; kind++) {
      const study = await createStudy({ storage: 'memory:' });
      const thrown = hostile(kind);
      // Boxed: awaiting the bare value would read its `then`, which some of these throw on.
      const outcome = await study.optimize(() => {
        throw thrown;
      }, { nTrials: 1 }).then(() => ({ error: 'resolved' as unknown }), (e: unknown) => ({ error: e }));
      expect(Object.is(outcome.error, thrown)).toBe(true);
      expect(study.trials.map((t) => t.state)).toEqual(['FAIL']);
    }
  });

  it('returning a hostile value fails the trial instead of the run', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await study.optimize((trial) => hostile(trial.number) as number, { nTrials: KINDS, maxConsecutiveFailures: Infinity });
    expect(study.trials.map((t) => t.state)).toEqual(Array.from({ length: KINDS }, () => 'FAIL'));
  });

  // The worker rebuilds the objective from its source: the hostile values are made there.
  const workerObjective = (trial: Trial): number => {
    trial.suggestFloat('x', 0, 1);
    const boom = (): never => {
      throw new Error('boom');
    };
    const kind = trial.number % 6;
    if (kind === 0) throw Object.create(null);
    if (kind === 1) throw { toString: boom };
    if (kind === 2) throw Object.defineProperty(new Error('x'), 'message', { get: boom });
    if (kind === 3) throw new Proxy({}, { get: boom, getPrototypeOf: boom, ownKeys: boom, has: boom, getOwnPropertyDescriptor: boom });
    if (kind === 4) throw new Proxy(new Error('inside'), { get: boom, getPrototypeOf: boom });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    throw proxy;
  };

  for (const executor of ['thread', 'process'] as const) {
    it.skipIf(requireOrSkip(DIST_PROBLEM))(`in a worker (${executor}): each trial is FAIL with the objective's reason, no worker crashes${skipNote}`, async () => {
      const study = await createStudy({ storage: 'memory:' });
      await study.optimize(workerObjective, { nTrials: 6, workers: 1, executor, maxConsecutiveFailures: Infinity });
      const failReasons = study.trials.map((t) => String(t.systemAttrs['failReason']));
      expect(study.trials.map((t) => t.state)).toEqual(Array.from({ length: 6 }, () => 'FAIL'));
      for (const reason of failReasons) expect(reason).not.toMatch(/worker crashed/);
      // One worker served them all: it never died.
      expect(new Set(study.trials.map((t) => t.systemAttrs['worker'])).size).toBe(1);
    });
  }

  it.skipIf(requireOrSkip(DIST_PROBLEM))(`a worker objective returning 1n is reported as 1n, not 1${skipNote}`, async () => {
    for (const executor of ['thread', 'process'] as const) {
      const study = await createStudy({ storage: 'memory:' });
      await study.optimize((trial) => (trial.suggestFloat('x', 0, 1), 1n as unknown as number), { nTrials: 1, workers: 1, executor });
      expect(String(study.trials[0]?.systemAttrs['failReason'])).toMatch(/returned 1n; it must return a number/);
    }
  });
});
