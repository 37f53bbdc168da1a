// The public API of tunelab. Re-exports by name only; see shared DESIGN.md for the contract.
export { createStudy, loadStudy, deleteStudy, listStudies } from './study/create.js';
export type { CreateStudyOptions, LoadStudyOptions } from './study/create.js';
export { Study } from './study/study.js';
export type { TellResult } from './study/study.js';
export type { Trial } from './study/trial.js';
export type { FrozenTrial, TrialId, StudyId } from './study/frozen-trial.js';
export type { TrialState, Direction } from './study/state.js';
export type { StudyView } from './study/view.js';
export type { Objective, ObjectiveContext, ObjectiveResult } from './study/objective.js';
export type { OptimizeOptions, StudyCallback, ErrorClass } from './study/optimize-options.js';

export {
  floatDistribution,
  intDistribution,
  categoricalDistribution,
} from './search/distributions.js';
export type {
  Distribution,
  FloatDistribution,
  IntDistribution,
  CategoricalDistribution,
  CategoricalChoice,
  ParamValue,
  RangeOptions,
} from './search/distributions.js';
export type { Sampler } from './search/sampler.js';
export type { Pruner } from './search/pruner.js';
export { RandomSampler } from './search/samplers/random.js';
export type { RandomSamplerOptions } from './search/samplers/random.js';
export { GridSampler } from './search/samplers/grid.js';
export type { GridSamplerOptions, SearchGrid } from './search/samplers/grid.js';
export { NopPruner } from './search/pruners/nop.js';

export type { Storage, StudySummary, TrialPatch, TrialTemplate } from './storage/storage.js';
export { InMemoryStorage } from './storage/memory.js';
export { registerStorageScheme } from './storage/resolve.js';

export {
  TunelabError,
  InvalidOptionError,
  InvalidDistributionError,
  DistributionConflictError,
  StudyNotFoundError,
  StudyExistsError,
  TrialNotFoundError,
  TrialFinishedError,
  TrialPruned,
  NoCompletedTrialsError,
  DirectionsError,
  StorageError,
} from './errors.js';
export type { JsonValue } from './util/json.js';

// Parallel trials (src/parallel): importing it gives optimize({ workers }) its runner.
import './parallel/install.js';
export { ObjectiveScopeError } from './errors.js';
