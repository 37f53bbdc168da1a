// Conformance suites for tunelab's interfaces: run them against every implementation.
export { samplerConformance } from './sampler-conformance.js';
export type { SamplerConformanceOptions } from './sampler-conformance.js';
export { prunerConformance } from './pruner-conformance.js';
export type { PrunerConformanceOptions } from './pruner-conformance.js';
export { runLearningCurves } from './learning-curves.js';
export type { LearningCurve, CurveOutcome, RunCurvesOptions } from './learning-curves.js';

export { storageConformance } from './storage-conformance.js';
export type { StorageConformanceOptions } from './storage-conformance.js';

export { rendererConformance } from './renderer-conformance.js';
export type { RendererConformanceOptions } from './renderer-conformance.js';

export { plotConformance, plotSource } from './plot-conformance.js';
export type { PlotConformanceOptions, MakePlot } from './plot-conformance.js';
