import { distProblem } from './dist.js';
// Not from require.ts: that imports vitest's test API, which a global setup cannot load.
const servicesRequired = process.env['TUNELAB_REQUIRE_SERVICES'] === '1';

/**
 * Worker-thread and child-process tests load dist/, most of them without a skip of their own: with a
 * dist/ older than src/ they would test an old build. Under TUNELAB_REQUIRE_SERVICES=1 (CI) that stops
 * the run; elsewhere it is said once, up front.
 */
export default function setup(): void {
  const problem = distProblem();
  if (problem === undefined) return;
  if (servicesRequired) throw new Error(`${problem} (TUNELAB_REQUIRE_SERVICES=1)`);
  console.warn(`tunelab tests: ${problem}; tests that start workers or child processes use the old build`);
}
