// Conformance suites for tunelab's interfaces: run them against every implementation.
export { samplerConformance } from './sampler-conformance.js';
export type { SamplerConformanceOptions } from './sampler-conformance.js';
export { storageConformance } from './storage-conformance.js';
export type { StorageConformanceOptions } from './storage-conformance.js';
