import { describe, expect, it } from 'vitest';
import { createStudy, GPSampler } from '../../../src/index.js';
import type { JsonValue } from '../../../src/util/json.js';
import { floatDistribution } from '../../../src/trial/distributions.js';
import { Rng } from '../../../src/util/rng.js';

const space = { x: floatDistribution('x', -5, 10), y: floatDistribution('y', 0, 15) };

/**
 * The proposal after 12 recorded Branin trials, whose system attributes (where the GP sampler keeps
 * the kernel each proposal was fitted with) are given by trial index.
 */
async function proposalWith(kernels: Record<number, JsonValue>): Promise<Record<string, unknown>> {
  const rng = new Rng(17);
  const specs = Array.from({ length: 12 }, (_, i) => {
    const x = rng.uniform(-5, 10);
    const y = rng.uniform(0, 15);
    const value = (y - (5.1 / (4 * Math.PI ** 2)) * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
    return { params: { x, y }, distributions: space, value, ...(i in kernels ? { systemAttrs: { 'gp:kernel': kernels[i] as JsonValue } } : {}) };
  });
  const study = await createStudy({ storage: 'memory:', sampler: new GPSampler({ seed: 3, nPreliminarySamples: 256 }) });
  await study.addTrials(specs);
  const t = await study.ask();
  t.suggestFloat('x', -5, 10);
  t.suggestFloat('y', 0, 15);
  return { ...t.params };
}

describe('GPSampler: the fit starts from the kernel stored with the newest trial that has a usable one', () => {
  it('a stored kernel changes where the fit starts, and so the proposal; the newest usable one is taken', async () => {
    const none = await proposalWith({});
    // Long length scales (isl 1e-3) and a large kernel scale: a start far from the default fit's optimum.
    const far = [1e-3, 1e-3, 50, 0.5];
    const withFar = await proposalWith({ 11: far });
    expect(withFar).not.toEqual(none);
    // An older usable kernel is used when the newest trial has none, down to the first trial.
    expect(await proposalWith({ 4: far })).toEqual(withFar);
    expect(await proposalWith({ 0: far })).toEqual(withFar);
    // The newest usable kernel wins over an older one (which would start elsewhere).
    expect(await proposalWith({ 4: [1, 1, 1, 0.01], 9: far })).toEqual(withFar);
    expect(await proposalWith({ 4: [1, 1, 1, 0.01] })).not.toEqual(withFar);
  });

  it('passes over stored kernels it cannot use (wrong length, zero, negative, non-finite, not numbers, not an array), to the next older one', async () => {
    const far = [1e-3, 1e-3, 50, 0.5];
    const withFar = await proposalWith({ 2: far });
    for (const bad of [[1e-3, 50, 0.5], [1, 1, 1, 0.01, 7], [0, 1e-3, 50, 0.5], [1e-3, -1, 50, 0.5], [1e-3, 1e-3, 50, 0], [1e-3, 1e-3, null, 0.5], ['1', 1e-3, 50, 0.5], 'kernel', { isl: 1 }] as JsonValue[]) {
      expect(await proposalWith({ 2: far, 11: bad }), JSON.stringify(bad)).toEqual(withFar);
    }
  });
});
