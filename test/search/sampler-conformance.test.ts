import { GridSampler, RandomSampler, TPESampler } from '../../src/index.js';
import { samplerConformance } from '../../src/testing/index.js';

samplerConformance('RandomSampler', (seed) => new RandomSampler({ seed }));
samplerConformance('TPESampler', (seed) => new TPESampler({ seed }));
samplerConformance('TPESampler multivariate', (seed) => new TPESampler({ seed, multivariate: true }));
samplerConformance('TPESampler without constant liar, few start-up trials', (seed) => new TPESampler({ seed, constantLiar: false, nStartupTrials: 3 }));
// A grid fixes its space in advance: no conditional or dynamic parameters.
samplerConformance(
  'GridSampler',
  (seed) =>
    new GridSampler(
      { x: [-3, 0, 5], lr: [1e-5, 1e-3], q: [0, 0.5], n: [1, 9], units: [4, 256], opt: ['adam', 'sgd', 'rmsprop'] },
      { seed },
    ),
  { defineByRun: false },
);
