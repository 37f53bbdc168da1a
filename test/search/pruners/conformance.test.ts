import { HyperbandPruner, MedianPruner, NopPruner, PercentilePruner, SuccessiveHalvingPruner } from '../../../src/index.js';
import { prunerConformance } from '../../../src/testing/index.js';

prunerConformance('NopPruner', () => new NopPruner(), { prunes: false });
prunerConformance('MedianPruner', () => new MedianPruner());
prunerConformance('PercentilePruner(25)', () => new PercentilePruner({ percentile: 25, nWarmupSteps: 2, intervalSteps: 3 }));
prunerConformance('SuccessiveHalvingPruner', () => new SuccessiveHalvingPruner());
prunerConformance('SuccessiveHalvingPruner(minResource 2, η 2, bootstrap 2)', () => new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 2, bootstrapCount: 2 }));
prunerConformance('HyperbandPruner', () => new HyperbandPruner());
prunerConformance('HyperbandPruner(maxResource 30, η 2)', () => new HyperbandPruner({ maxResource: 30, reductionFactor: 2 }));
