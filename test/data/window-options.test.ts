import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/errors.js';
import { resolveWindowOptions, transformOf, type WindowOptions } from '../../src/data/windows/options.js';

describe('window options', () => {
  it('fills the defaults: the target as the only feature, horizon 1, no transform or scale, a 15/15 split', () => {
    const o = resolveWindowOptions({ target: 'close', lookback: 5 });
    expect(o).toEqual({ target: 'close', features: ['close'], lookback: 5, horizon: 1, transform: 'none', scale: 'none', split: { val: 0.15, test: 0.15 }, walkForward: undefined, time: undefined });
    const wf = resolveWindowOptions({ target: 'c', lookback: 2, horizon: 3, walkForward: { folds: 2, val: 0.1 } });
    expect(wf.split).toBeUndefined();
    expect(wf.walkForward).toEqual({ folds: 2, val: 0.1, test: 0, gap: 2, window: 'expanding' });
    const sliding = resolveWindowOptions({ target: 'c', lookback: 2, walkForward: { folds: 2, val: 0.1, window: 'sliding', length: 30, gap: 0 } });
    expect(sliding.walkForward).toEqual({ folds: 2, val: 0.1, test: 0, gap: 0, window: 'sliding', length: 30 });
  });

  it.each<[string, Partial<WindowOptions>, RegExp]>([
    ['an empty target', { target: '' }, /target must name a column, got ""/],
    ['a target that is not text', { target: 5 as unknown as string }, /target must name a column, got 5/],
    ['no features', { features: [] }, /features must name at least one column/],
    ['a lookback of 0', { lookback: 0 }, /lookback must be a positive integer, got 0/],
    ['a fractional lookback', { lookback: 2.5 }, /lookback must be a positive integer, got 2.5/],
    ['a horizon of 0', { horizon: 0 }, /horizon must be a positive integer, got 0/],
    ['a fractional horizon', { horizon: 1.5 }, /horizon must be a positive integer, got 1.5/],
    ['an unknown transform', { transform: 'diff' as 'none' }, /transform must be one of logReturn, pctChange, none, got "diff"/],
    ['an unknown transform for one column', { transform: { close: 'log' as 'none' } }, /transform must be one of .*got "log"/],
    ['an unknown scale', { scale: 'robust' as 'none' }, /scale must be one of zscore, minmax, none, got "robust"/],
    ['both split and walkForward', { split: { val: 0.1, test: 0.1 }, walkForward: { folds: 2, val: 0.1 } }, /either split or walkForward, not both/],
    ['a split that leaves nothing to train', { split: { val: 0.5, test: 0.5 } }, /split.val \+ split.test must leave samples to train on, got 0.5 \+ 0.5/],
    ['a negative fraction', { split: { val: -0.1, test: 0.1 } }, /split.val must be a fraction in \[0, 1\), got -0.1/],
    ['a fraction of 1', { split: { val: 0.1, test: 1 } }, /split.test must be a fraction in \[0, 1\), got 1/],
    ['no folds', { walkForward: { folds: 0, val: 0.1 } }, /walkForward.folds must be a positive integer, got 0/],
    ['fractional folds', { walkForward: { folds: 2.5, val: 0.1 } }, /walkForward.folds must be a positive integer, got 2.5/],
    ['a fractional gap', { walkForward: { folds: 2, val: 0.1, gap: 0.5 } }, /walkForward.gap must be a whole number of samples >= 0 \(default horizon - 1 = 0\), got 0.5/],
    ['a walk-forward val of 1', { walkForward: { folds: 2, val: 1 } }, /walkForward.val must be a fraction in \[0, 1\), got 1/],
    ['a walk-forward test of 1', { walkForward: { folds: 2, val: 0.1, test: 1 } }, /walkForward.test must be a fraction in \[0, 1\), got 1/],
    ['sliding with a length of 0', { walkForward: { folds: 2, val: 0.1, window: 'sliding', length: 0 } }, /window 'sliding' needs walkForward.length.*got 0/],
  ])('refuses %s, naming the option', (_what, change, message) => {
    const opts = { target: 'close', lookback: 3, ...change } as WindowOptions;
    expect(() => resolveWindowOptions(opts)).toThrow(InvalidOptionError);
    expect(() => resolveWindowOptions(opts)).toThrow(message);
  });

  it('finds a column’s transform by its exact name, then ignoring case, else none', () => {
    const o = resolveWindowOptions({ target: 'Close', lookback: 2, transform: { Close: 'logReturn', volume: 'pctChange' } });
    expect(transformOf(o, 'Close')).toBe('logReturn');
    expect(transformOf(o, 'VOLUME')).toBe('pctChange');
    expect(transformOf(o, 'open')).toBe('none');
    expect(transformOf(resolveWindowOptions({ target: 'x', lookback: 1, transform: 'pctChange' }), 'anything')).toBe('pctChange');
  });
});
