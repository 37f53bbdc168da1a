import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { OptimizeOptions } from './optimize-options.js';
import type { Study } from './study.js';

/**
 * Re-enqueues the params of FAIL trials that were not retried yet, up to `retryFailed` times
 * per original trial (counted through the `retryOf` chain).
 */
export async function enqueueRetries(study: Study, retryFailed: number | undefined, only?: readonly FrozenTrial[]): Promise<void> {
  if (!retryFailed) return;
  const trials = study.view.trials;
  const retried = new Set<number>();
  for (const t of trials) {
    const of = t?.systemAttrs['retryOf'];
    if (typeof of === 'number') retried.add(of);
  }
  for (const t of only ?? trials) {
    if (!t || t.state !== 'FAIL' || retried.has(t.number)) continue;
    const count = typeof t.systemAttrs['retryCount'] === 'number' ? (t.systemAttrs['retryCount'] as number) : 0;
    if (count >= retryFailed) continue;
    await study.enqueueTrial(t.params, { systemAttrs: { retryOf: t.number, retryCount: count + 1 } });
  }
}

/**
 * On a storage other processes share: fail the trials of dead workers (retrying them if asked)
 * and, when a totalTrials budget must count other workers' trials, re-read the study first.
 * Every executor calls it before starting a trial.
 */
export async function beforeTrial(study: Study, options: OptimizeOptions<unknown>): Promise<void> {
  if (!study.storage.shared) return;
  const stale = (await study.storage.failStaleTrials?.(study.studyId)) ?? [];
  if (stale.length > 0 || options.totalTrials !== undefined) await study.refresh();
  if (stale.length > 0) await enqueueRetries(study, options.retryFailed, stale);
}
