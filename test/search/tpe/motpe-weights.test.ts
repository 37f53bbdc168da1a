import { describe, expect, it } from 'vitest';
import { createStudy, TPESampler } from '../../../src/index.js';
import { floatDistribution } from '../../../src/trial/distributions.js';

describe('MOTPE weights in the sampler', () => {
  it('weights the good trials by hypervolume contribution: copies of one Pareto point weigh almost nothing, so proposals go where volume is added', async () => {
    // Good set (gamma 4): three copies of one Pareto point at x = 0.85 and one other Pareto point at x = 0.15.
    // Each copy adds no volume the others do not, so the x = 0.15 trial carries l(x); unweighted, the
    // copies would hold three quarters of it. The bad trials sit in the middle.
    const x = floatDistribution('x', 0, 1);
    const proposals: number[] = [];
    for (let seed = 0; seed < 8; seed++) {
      const study = await createStudy({ storage: 'memory:', directions: ['minimize', 'minimize'], sampler: new TPESampler({ seed, nStartupTrials: 4, gamma: () => 4 }) });
      await study.addTrials([
        ...[0.85, 0.85, 0.85].map((v) => ({ params: { x: v }, distributions: { x }, values: [0.5, 0.5] })),
        { params: { x: 0.15 }, distributions: { x }, values: [0.3, 0.9] },
        ...[0.4, 0.45, 0.5, 0.55, 0.6, 0.5].map((v) => ({ params: { x: v }, distributions: { x }, values: [2, 2] })),
      ]);
      const t = await study.ask();
      proposals.push(t.suggestFloat('x', 0, 1));
    }
    expect(proposals.filter((v) => v < 0.35).length).toBeGreaterThanOrEqual(7);
  });
});
