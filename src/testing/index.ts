// Conformance suites for tunelab's interfaces: run them against every implementation.
export { samplerConformance } from './sampler-conformance.js';
export type { SamplerConformanceOptions } from './sampler-conformance.js';
export { rendererConformance } from './renderer-conformance.js';
export type { RendererConformanceOptions } from './renderer-conformance.js';
