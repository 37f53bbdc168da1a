import { describe, expect, it } from 'vitest';
import {
  cardinality,
  categoricalDistribution,
  contains,
  floatDistribution,
  intDistribution,
  snap,
  toExternal,
  toInternal,
} from '../../src/trial/distributions.js';
import { DistributionConflictError, InvalidDistributionError, createStudy, RandomSampler } from '../../src/index.js';

describe('distribution definitions', () => {
  it.each([
    ['low > high', () => floatDistribution('lr', 1, 0), /'lr'.*low \(1\) is greater than high \(0\)/],
    ['log with low <= 0', () => floatDistribution('lr', 0, 1, { log: true }), /'lr'.*log: true needs low > 0/],
    ['log with step', () => floatDistribution('lr', 0.1, 1, { log: true, step: 0.1 }), /'lr'.*log and step/],
    ['a step that does not fit', () => floatDistribution('q', 0, 1, { step: 0.3 }), /'q'.*step=0.3 does not fit.*choose high = 0.9/],
    ['a non-positive step', () => floatDistribution('q', 0, 1, { step: 0 }), /'q'.*positive/],
    ['infinite bounds', () => floatDistribution('q', 0, Infinity), /'q'.*finite/],
    ['int with fractional bounds', () => intDistribution('n', 0.5, 3), /'n'.*whole-number bounds/],
    ['int step that does not fit', () => intDistribution('n', 0, 10, { step: 3 }), /'n'.*choose high = 9/],
    ['int log with low 0', () => intDistribution('n', 0, 10, { log: true }), /'n'.*low >= 1/],
    ['empty choices', () => categoricalDistribution('c', []), /'c'.*non-empty/],
    ['duplicate choices', () => categoricalDistribution('c', ['a', 'a']), /'c'.*"a" appears twice/],
    ['a function as choice', () => categoricalDistribution('c', [() => 1]), /'c'.*not JSON-safe/],
  ])('rejects %s with an error naming the parameter', (_what, make, message) => {
    expect(make).toThrow(InvalidDistributionError);
    expect(make).toThrow(message);
  });

  it('accepts ranges whose step fits despite float noise', () => {
    expect(floatDistribution('q', 0, 0.3, { step: 0.1 }).step).toBe(0.1);
    expect(cardinality(floatDistribution('q', 0, 0.3, { step: 0.1 }))).toBe(4);
    expect(cardinality(intDistribution('n', 1, 9, { step: 2 }))).toBe(5);
  });

  it('maps categorical values to indices and back, including JSON objects', () => {
    const d = categoricalDistribution('c', ['a', 2, null, { units: [8, 16] }]);
    expect(toInternal(d, { units: [8, 16] })).toBe(3);
    expect(toExternal(d, 2)).toBeNull();
    expect(() => toInternal(d, 'b')).toThrow(RangeError);
    expect(contains(d, 3)).toBe(true);
    expect(contains(d, 4)).toBe(false);
  });

  it('snaps onto the step grid without float noise', () => {
    const d = floatDistribution('q', 0, 1, { step: 0.1 });
    expect(snap(d, 0.30000000000000004)).toBe(0.3);
    expect(snap(d, 0.7499)).toBe(0.7);
    expect(contains(d, 0.7)).toBe(true);
    expect(contains(d, 0.75)).toBe(false);
  });
});

describe('suggesting the same name twice', () => {
  it('returns the same value for the same distribution', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    const trial = await study.ask();
    const a = trial.suggestFloat('x', 0, 1);
    expect(trial.suggestFloat('x', 0, 1)).toBe(a);
  });

  it('throws DistributionConflictError for a different distribution in one trial', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const trial = await study.ask();
    trial.suggestFloat('x', 0, 1);
    expect(() => trial.suggestFloat('x', 0, 2)).toThrow(DistributionConflictError);
    expect(() => trial.suggestInt('x', 0, 1)).toThrow(/'x'.*float \[0, 1\].*int \[0, 1\]/);
  });

  it('lets a range change across trials but not a kind or categorical choices', async () => {
    const study = await createStudy({ storage: 'memory:' });
    const t0 = await study.ask();
    t0.suggestFloat('x', 0, 1);
    t0.suggestCategorical('c', ['a', 'b']);
    await study.tell(t0, 1);
    const t1 = await study.ask();
    expect(() => t1.suggestFloat('x', 0, 5)).not.toThrow();
    expect(() => t1.suggestCategorical('c', ['a', 'b', 'c'])).toThrow(/'c'.*choices changed/);
    expect(() => t1.suggestInt('x2', 0, 1)).not.toThrow();
    const t2 = await study.ask();
    expect(() => t2.suggestInt('x', 0, 1)).toThrow(/'x'.*suggested as float in an earlier trial/);
  });
});
