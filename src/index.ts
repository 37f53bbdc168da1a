// The public API of tunelab, grouped by concept. Re-exports by name only; see shared DESIGN.md for
// the contract. Internals stay in their modules (tests import them from there).

// Side effects first: URL schemes for createStudy({ storage }), the live progress display and the
// worker runner of optimize({ workers }) register themselves when these modules load.
import './storage/level/register.js';
import './storage/postgres/register.js';
import './render/progress/progress.js';
import './parallel/install.js';

// --- Studies: create, load, optimize, ask and tell ---
export { createStudy, loadStudy, deleteStudy, listStudies } from './study/create.js';
export type { CreateStudyOptions, LoadStudyOptions } from './study/create.js';
export { Study } from './study/study.js';
export type { TellResult } from './study/study.js';
export type { AddTrialSpec } from './study/add-trial.js';
export type { EnqueueTrialOptions } from './study/enqueue.js';
export type { Objective, ObjectiveContext, ObjectiveResult } from './study/objective.js';
export type { OptimizeOptions, StudyCallback, ErrorClass } from './study/optimize-options.js';
export type { CacheOption } from './study/study-cache.js';

// --- Trials and search spaces ---
export type { Trial } from './trial/trial.js';
export { FixedTrial } from './trial/fixed-trial.js';
export type { FrozenTrial, TrialId, StudyId } from './trial/frozen-trial.js';
export type { TrialState, Direction } from './trial/state.js';
export type { StudyView } from './trial/view.js';
export { floatDistribution, intDistribution, categoricalDistribution } from './trial/distributions.js';
export type {
  Distribution,
  FloatDistribution,
  IntDistribution,
  CategoricalDistribution,
  CategoricalChoice,
  ParamValue,
  RangeOptions,
} from './trial/distributions.js';

// --- Samplers ---
export type { Sampler } from './search/sampler.js';
export { RandomSampler } from './search/samplers/random.js';
export type { RandomSamplerOptions } from './search/samplers/random.js';
export { GridSampler } from './search/samplers/grid.js';
export type { GridSamplerOptions, SearchGrid } from './search/samplers/grid.js';
export { TPESampler } from './search/samplers/tpe/sampler.js';
export type { TPESamplerOptions } from './search/samplers/tpe/sampler.js';
export type { CategoricalDistanceFunc } from './search/samplers/tpe/parzen-estimator.js';
export { defaultGamma, hyperoptGamma, defaultWeights } from './search/samplers/tpe/weights.js';
export { QMCSampler } from './search/samplers/qmc/sampler.js';
export type { QMCSamplerOptions } from './search/samplers/qmc/sampler.js';
export { GPSampler } from './search/samplers/gp/sampler.js';
export type { GPSamplerOptions } from './search/samplers/gp/sampler.js';
export { CmaEsSampler } from './search/samplers/cmaes/sampler.js';
export type { CmaEsSamplerOptions } from './search/samplers/cmaes/sampler.js';
export { NSGAIISampler } from './search/samplers/nsgaii/sampler.js';
export type { NSGAIISamplerOptions } from './search/samplers/nsgaii/sampler.js';
export { BLXAlphaCrossover, SBXCrossover, SPXCrossover, UNDXCrossover, UniformCrossover, VSBXCrossover } from './search/samplers/nsgaii/crossovers.js';
export type { Crossover, RandomSource } from './search/samplers/nsgaii/crossovers.js';
export { AutoSampler } from './search/samplers/auto/sampler.js';
export type { AutoSamplerOptions } from './search/samplers/auto/sampler.js';

// --- Pruners ---
export type { Pruner, PruneDecision } from './search/pruner.js';
export { NopPruner } from './search/pruners/nop.js';
export { MedianPruner } from './search/pruners/median.js';
export type { MedianPrunerOptions } from './search/pruners/median.js';
export { PercentilePruner } from './search/pruners/percentile.js';
export type { PercentilePrunerOptions } from './search/pruners/percentile.js';
export { SuccessiveHalvingPruner } from './search/pruners/successive-halving.js';
export type { SuccessiveHalvingPrunerOptions } from './search/pruners/successive-halving.js';
export { HyperbandPruner } from './search/pruners/hyperband.js';
export type { HyperbandPrunerOptions } from './search/pruners/hyperband.js';

// --- Storages: memory, LevelDB (the default), PostgreSQL; Optuna journals and backups ---
export type { Storage, StudySummary, TrialPatch, TrialTemplate } from './storage/storage.js';
export { registerStorageScheme } from './storage/resolve.js';
export { InMemoryStorage } from './storage/memory.js';
export { LevelStorage } from './storage/level/level-storage.js';
export type { LevelStorageOptions } from './storage/level/level-storage.js';
export { levelStorage } from './storage/level/register.js';
export { PostgresStorage } from './storage/postgres/storage.js';
export type { PostgresPublicSettings } from './storage/postgres/url.js';
export { exportJournal } from './storage/journal/export.js';
export { importJournal, restoreStudy } from './storage/journal/import.js';
export type { ImportJournalOptions, RestoreStudyOptions } from './storage/journal/import.js';

// --- Data: chunked CSV sources (danfojs DataFrames or typed columns), windows for models ---
export * as data from './data/index.js';
export { ChunkSource, CsvSource, WindowDataset } from './data/index.js';
export type { CsvOptions, ColumnChunk, Column, Dtype, SourceStats, WindowOptions, WindowPart } from './data/index.js';

// --- Models: tune(), model families, TF.js backends, metrics ---
export { tune, TuneBuilder } from './models/tune.js';
export type { TuneOptions } from './models/tune-options.js';
export { TuneResult } from './models/tune-result.js';
export type { FamilyRow, RefitModel } from './models/tune-result.js';
export { registerModelFamily, getModelFamily, modelFamilyNames } from './models/families/registry.js';
export type { ModelFamily, InputShape, FamilyParams, TrainingParams } from './models/families/types.js';
export type { ModelData, ModelPart } from './models/model-data.js';
export { forecastMetrics } from './models/metrics.js';
export type { ForecastMetrics } from './models/metrics.js';
export { loadTf, autoBackend } from './tf/backend.js';
export type { BackendName, BackendChoice } from './tf/backend.js';
export { dieboldMariano } from './models/significance.js';
export type { DieboldMarianoOptions, DieboldMarianoResult } from './models/significance.js';
export { Backtest, backtestSignal, backtestForecast } from './models/backtest.js';
export type { BacktestOptions, PositionRule, StrategyFigures } from './models/backtest.js';

// --- Showing results: show(), plots, importances, renderers, live progress ---
export { show } from './render/show.js';
export type { ShowOptions } from './render/show.js';
export type { TslabDisplay } from './render/tslab.js';
export { plot } from './render/plot/index.js';
export type { PlotOptions } from './render/plot/index.js';
export { Plot } from './render/plot/plot.js';
export type { VegaLiteSpec } from './render/plot/compile.js';
export type { PlotSource } from './render/plot/source.js';
export type { HistoryData, HistoryPoint } from './render/plot/history.js';
export type { IntermediateData, LearningCurve } from './render/plot/intermediate.js';
export type { ParallelData, ParallelAxis, ParallelLine } from './render/plot/parallel.js';
export type { ImportanceData } from './render/plot/importance.js';
export type { ParetoData, ParetoPoint } from './render/plot/pareto.js';
export type { MemoryData, MemoryReading, MemoryTimeline } from './render/plot/memory.js';
export { paramImportances } from './render/importance/importance.js';
export type { ImportanceOptions, ParamImportance } from './render/importance/importance.js';
export type { Renderer } from './render/renderer.js';
export { htmlRenderer } from './render/html.js';
export { textRenderer } from './render/text.js';
export { toDocument } from './render/to-document.js';
export type { Renderable } from './render/to-document.js';
export type { RenderDocument, Block, Table, Summary, Column as TableColumn, Cell as TableCell } from './render/table.js';
export type { ProgressHandle, ProgressOptions, ProgressSource } from './render/progress/progress.js';
export { writeHtmlReport } from './render/report/write-html-report.js';
export type { TargetOptions } from './render/plot/source.js';
export type { SliceData, SliceOptions, SlicePoint } from './render/plot/slice.js';
export type { ContourData, ContourOptions, ContourCell } from './render/plot/contour.js';
export type { EdfData } from './render/plot/edf.js';
export type { TimelineData, TimelineBar } from './render/plot/timeline.js';
export type { HypervolumeData } from './render/plot/hypervolume.js';
export type { EquityData, EquitySource } from './render/plot/equity.js';

// --- Caching, memory, system statistics and clean-up ---
export { EvalCache } from './cache/eval-cache.js';
export type { EvalCacheOptions, EvalCacheStats } from './cache/eval-cache.js';
export { MemoryMonitor } from './monitor/memory-monitor.js';
export type { MemoryMonitorOptions, MemorySample, MemoryAlert, WorkerMemory } from './monitor/memory-monitor.js';
export { GcObserver } from './monitor/gc-observer.js';
export type { GcStats, GcKind, GcKindStats } from './monitor/gc-observer.js';
export { systemStats } from './monitor/system-stats.js';
export type { SystemStats, ProcessMemory, ResourceStats } from './monitor/system-stats.js';
export type { TensorStats } from './tf/engine-stats.js';
export { shutdown } from './util/resources.js';

// --- Errors: TunelabError and its subclasses, each with a code ---
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
  ObjectiveScopeError,
  StorageError,
  StorageLockedError,
  JournalFormatError,
  PostgresQueryError,
  CsvParseError,
  DataFileNotFoundError,
  DataFileCorruptError,
  ColumnNotFoundError,
  DataOrderError,
} from './errors.js';
export type { JsonValue } from './util/json.js';
export { ConsecutiveFailuresError } from './errors.js';
