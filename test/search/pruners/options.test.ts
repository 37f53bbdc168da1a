import { describe, expect, it } from 'vitest';
import {
  HyperbandPruner,
  InvalidOptionError,
  MedianPruner,
  PercentilePruner,
  SuccessiveHalvingPruner,
  type PercentilePrunerOptions,
} from '../../../src/index.js';

/** Builds with options a user might mistype; the casts stand in for untyped JavaScript callers. */
const cases: [string, () => unknown, readonly string[]][] = [
  ['percentile above 100', () => new PercentilePruner({ percentile: 120 }), ['PercentilePruner', 'percentile', '120', '0 to 100']],
  ['negative percentile', () => new PercentilePruner({ percentile: -1 }), ['percentile', '-1']],
  ['NaN percentile', () => new PercentilePruner({ percentile: Number.NaN }), ['percentile', 'NaN']],
  ['missing percentile', () => new PercentilePruner({} as PercentilePrunerOptions), ['percentile', 'undefined']],
  ['string percentile', () => new PercentilePruner({ percentile: '25' } as unknown as PercentilePrunerOptions), ['percentile', '"25"']],
  ['negative nStartupTrials', () => new MedianPruner({ nStartupTrials: -1 }), ['MedianPruner', 'nStartupTrials', '-1', 'pass 0']],
  ['fractional nWarmupSteps', () => new MedianPruner({ nWarmupSteps: 1.5 }), ['nWarmupSteps', '1.5', 'whole number']],
  ['zero intervalSteps', () => new PercentilePruner({ percentile: 10, intervalSteps: 0 }), ['PercentilePruner', 'intervalSteps', '0', '>= 1']],
  ['zero nMinTrials', () => new MedianPruner({ nMinTrials: 0 }), ['nMinTrials', '0', '>= 1']],
  ['unknown option', () => new MedianPruner({ nStartup: 5 } as unknown as object), ['nStartup', 'unknown option', 'nStartupTrials']],
  ['options not an object', () => new MedianPruner(5 as unknown as object), ['MedianPruner', 'options object', '5']],
  ['zero minResource', () => new SuccessiveHalvingPruner({ minResource: 0 }), ['SuccessiveHalvingPruner', 'minResource', '0', "'auto'"]],
  ['minResource word', () => new SuccessiveHalvingPruner({ minResource: 'fast' as unknown as 'auto' }), ['minResource', '"fast"', "'auto'"]],
  ['reductionFactor 1', () => new SuccessiveHalvingPruner({ reductionFactor: 1 }), ['reductionFactor', '1', '>= 2']],
  ['negative minEarlyStoppingRate', () => new SuccessiveHalvingPruner({ minEarlyStoppingRate: -1 }), ['minEarlyStoppingRate', '-1']],
  ['negative bootstrapCount', () => new SuccessiveHalvingPruner({ bootstrapCount: -2 }), ['bootstrapCount', '-2']],
  ['bootstrapCount with auto minResource', () => new SuccessiveHalvingPruner({ bootstrapCount: 2 }), ['bootstrapCount: 2', "minResource: 'auto'", 'pass minResource']],
  ['zero hyperband minResource', () => new HyperbandPruner({ minResource: 0 }), ['HyperbandPruner', 'minResource', '0']],
  ['maxResource word', () => new HyperbandPruner({ maxResource: 'max' as unknown as 'auto' }), ['maxResource', '"max"', "'auto'"]],
  ['maxResource below minResource', () => new HyperbandPruner({ minResource: 5, maxResource: 3 }), ['maxResource: 3', 'minResource (5)']],
  ['fractional reductionFactor', () => new HyperbandPruner({ reductionFactor: 2.5 }), ['reductionFactor', '2.5']],
  ['bootstrapCount with auto maxResource', () => new HyperbandPruner({ bootstrapCount: 1 }), ['bootstrapCount: 1', "maxResource: 'auto'", 'pass maxResource']],
];

describe('pruner options are checked when the pruner is built', () => {
  for (const [title, build, parts] of cases) {
    it(`refuses ${title} with a message naming it`, () => {
      let error: unknown;
      try {
        build();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).code).toBe('INVALID_OPTION');
      for (const part of parts) expect((error as Error).message).toContain(part);
    });
  }

  it('accepts the defaults and every documented form', () => {
    expect(() => new MedianPruner()).not.toThrow();
    expect(() => new PercentilePruner({ percentile: 0, nStartupTrials: 0, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1 })).not.toThrow();
    expect(() => new PercentilePruner({ percentile: 100 })).not.toThrow();
    expect(() => new SuccessiveHalvingPruner({ minResource: 'auto' })).not.toThrow();
    expect(() => new SuccessiveHalvingPruner({ minResource: 3, reductionFactor: 2, minEarlyStoppingRate: 2, bootstrapCount: 4 })).not.toThrow();
    expect(() => new HyperbandPruner()).not.toThrow();
    expect(() => new HyperbandPruner({ minResource: 2, maxResource: 2, reductionFactor: 4, bootstrapCount: 3 })).not.toThrow();
  });
});
