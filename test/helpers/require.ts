import { it } from 'vitest';

/**
 * CI sets TUNELAB_REQUIRE_SERVICES=1 (.ci/run): there, a missing service (PostgreSQL, Python Optuna,
 * the tslab kernel), a stale dist/ or notebooks without outputs is a failure, never a skip. On a
 * user's machine the tests that need one skip, and the reason shows in the report.
 */
export const servicesRequired = process.env['TUNELAB_REQUIRE_SERVICES'] === '1';

const announced = new Set<string>();

/**
 * Every conditional skip goes through here: `it.skipIf(requireOrSkip(reason))(…)` or
 * `describe.skipIf(requireOrSkip(reason))(…)`, with `reason` undefined when what the tests need is there.
 * Given a reason, it adds one test to the current suite (once per reason and file) that says why: skipped
 * on a user's machine, failing under TUNELAB_REQUIRE_SERVICES=1; and it returns true so the tests that
 * need the service are skipped rather than failing on a confusing connection error.
 */
export function requireOrSkip(reason: string | undefined): boolean {
  if (reason === undefined) return false;
  if (!announced.has(reason)) {
    announced.add(reason);
    if (servicesRequired) {
      it(`requires: ${reason}`, () => {
        throw new Error(`${reason} (TUNELAB_REQUIRE_SERVICES=1: CI must have it; a skip here would hide untested code)`);
      });
    } else {
      it.skip(`skipped: ${reason}`, () => undefined);
    }
  }
  return true;
}
