import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestIntermediate, lastStep } from '../../../src/search/pruners/intermediate.js';
import { nanPercentile } from '../../../src/search/pruners/nan-percentile.js';
import type { FrozenTrial } from '../../../src/trial/frozen-trial.js';
import { pythonCannotImport, runPython } from '../../helpers/python.js';
import { requireOrSkip } from '../../helpers/require.js';

const numpyMissing = pythonCannotImport('numpy', 'apt-get install -y python3-numpy');

function reported(values: Record<number, number>): FrozenTrial {
  return { intermediateValues: values } as unknown as FrozenTrial;
}

describe('pruner helpers', () => {
  // Values on a coarse grid with NaNs among them, so that ties, duplicates and the interpolation's
  // two branches (t below and above 0.5) all occur.
  const cases = fc.array(
    fc.record({
      values: fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }).map((v) => v / 7), fc.constant(Number.NaN)), { minLength: 0, maxLength: 12 }),
      percentile: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })),
    }),
    { minLength: 200, maxLength: 200 },
  );

  it.skipIf(requireOrSkip(numpyMissing))('nanPercentile equals numpy.nanpercentile to the last bit (NaNs, ties, every percentile)', () => {
    const sample = fc.sample(cases, { numRuns: 1, seed: 20261204 })[0] as { values: number[]; percentile: number }[];
    // JSON has no NaN: send null for it.
    const script = `
import json, sys, warnings, numpy as np
warnings.simplefilter("ignore")
cases = json.loads(sys.stdin.read())
out = []
for c in cases:
    v = np.array([np.nan if x is None else x for x in c["values"]], dtype=float)
    r = float(np.nanpercentile(v, c["percentile"])) if len(v) else float("nan")
    out.append(None if r != r else r.hex())
print(json.dumps(out))`;
    const py = runPython(['-c', script], JSON.stringify(sample.map((c) => ({ values: c.values.map((v) => (Number.isNaN(v) ? null : v)), percentile: c.percentile }))));
    expect(py.status, py.stderr).toBe(0);
    const expected = JSON.parse(py.stdout) as (string | null)[];
    expect(expected).toHaveLength(sample.length);
    sample.forEach((c, i) => {
      const ours = nanPercentile(c.values, c.percentile);
      const theirs = expected[i];
      if (theirs === null || theirs === undefined) expect(ours, JSON.stringify(c)).toBeNaN();
      else expect(ours, JSON.stringify(c)).toBe(hexToNumber(theirs));
    });
  });

  it('nanPercentile: the ends, a lone value, NaN only', () => {
    expect(nanPercentile([3, Number.NaN, 1, 2], 0)).toBe(1);
    expect(nanPercentile([3, Number.NaN, 1, 2], 100)).toBe(3);
    expect(nanPercentile([3, 1, 2], 50)).toBe(2);
    expect(nanPercentile([0, 10], 25)).toBe(2.5);
    expect(nanPercentile([0, 10], 75)).toBe(7.5);
    expect(nanPercentile([5], 30)).toBe(5);
    expect(nanPercentile([Number.NaN, Number.NaN], 50)).toBeNaN();
    expect(nanPercentile([], 50)).toBeNaN();
  });

  it('bestIntermediate: the lowest (minimize) or highest (maximize) report, NaN skipped, NaN when nothing else', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.integer({ min: 0, max: 50 }).map(String), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(Number.NaN))), (dict) => {
        const values = Object.fromEntries(Object.entries(dict).map(([k, v]) => [Number(k), v]));
        const finite = Object.values(values).filter((v) => !Number.isNaN(v));
        const trial = reported(values);
        if (finite.length === 0) {
          expect(bestIntermediate(trial, 'minimize')).toBeNaN();
          expect(bestIntermediate(trial, 'maximize')).toBeNaN();
        } else {
          expect(bestIntermediate(trial, 'minimize')).toBe(Math.min(...finite));
          expect(bestIntermediate(trial, 'maximize')).toBe(Math.max(...finite));
        }
      }),
    );
  });

  it('lastStep: the largest reported step, undefined without reports', () => {
    expect(lastStep(reported({}))).toBeUndefined();
    expect(lastStep(reported({ 3: 1, 10: 2, 0: 5 }))).toBe(10);
    expect(lastStep(reported({ 0: Number.NaN }))).toBe(0);
  });
});

/** A float from Python's float.hex(), exactly. */
function hexToNumber(hex: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(hex);
  if (m === null) throw new Error(`not a float hex: ${hex}`);
  const [, sign, lead, frac, exp] = m as unknown as [string, string, string, string, string];
  const mantissa = Number(lead) + Number.parseInt(frac, 16) / 16 ** frac.length;
  const value = mantissa * 2 ** Number(exp);
  return sign === '-' ? -value : value;
}
