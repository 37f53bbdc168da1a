import { resolve } from 'node:path';
import { registerResource } from '../util/resources.js';
import type { Study } from './study.js';
import { LocalTrial } from './local-trial.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { Trial } from '../trial/trial.js';
import { EvalCache, DEFAULT_CACHE_DIR, type EvalCacheOptions } from '../cache/eval-cache.js';
import type { EvalScope } from '../cache/keys.js';
import { evalScopeOf, isUncacheable } from '../cache/run-scope.js';
import { TrialReplay, traceOf } from './trial-replay.js';

/** What `optimize({ cache })` accepts. */
export type CacheOption = boolean | EvalCacheOptions | EvalCache;

// LevelDB opens a directory once per process: every study in the process shares one cache per directory.
const shared = new Map<string, EvalCache>();

export function sharedEvalCache(options: EvalCacheOptions = {}): EvalCache {
  const key = options.dir === false ? `memory:${options.version ?? ''}` : resolve(options.dir ?? DEFAULT_CACHE_DIR);
  let cache = shared.get(key);
  if (!cache) {
    const created = new EvalCache(options);
    shared.set(key, created);
    const unregister = registerResource({
      kind: 'cache',
      name: created.stats().dir ?? 'memory only',
      stats: () => created.stats(),
      close: async () => {
        unregister();
        shared.delete(key);
        await created.close();
      },
    });
    cache = created;
  }
  return cache;
}

/** The EvalCache an option names (the process-wide one per directory), or undefined when caching is off. */
export function evalCacheOf(option: CacheOption | undefined): EvalCache | undefined {
  if (option === undefined || option === false) return undefined;
  return option instanceof EvalCache ? option : sharedEvalCache(option === true ? {} : option);
}

// Each distinct reason is told once per process: a notebook re-running its cell is not nagged.
const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, { code: 'TUNELAB_CACHE_SCOPE' });
}

/**
 * The cache as one optimize run uses it: replay before running a trial, record after it.
 * Undefined when caching is off.
 */
export class StudyCache {
  readonly cache: EvalCache;
  readonly #replay: TrialReplay;

  private constructor(cache: EvalCache, scope: EvalScope) {
    this.cache = cache;
    this.#replay = new TrialReplay(cache, scope);
  }

  /**
   * The run's cache, or undefined when caching is off or when the key cannot cover everything
   * the results depend on (then one warning per process says what, and how to fix it).
   */
  static open(
    study: Study,
    objective: ((...args: never[]) => unknown) | string | URL,
    option: CacheOption | undefined,
    data: Readonly<Record<string, unknown>> | undefined,
    context?: unknown,
  ): StudyCache | undefined {
    const cache = evalCacheOf(option);
    if (!cache) return undefined;
    const seed = (study.sampler as { readonly seed?: unknown }).seed;
    const scope = evalScopeOf({ objective, data, context, seed: typeof seed === 'number' ? seed : undefined, version: cache.scopeVersion() });
    if (isUncacheable(scope)) {
      warnOnce(`tunelab: optimize({ cache }): this run's results are not cached: ${scope.reason}.`);
      return undefined;
    }
    return new StudyCache(cache, scope);
  }

  /**
   * Tries to finish a just-asked trial from the cache. On a hit the trial is told COMPLETE with
   * the cached values and reports, marked `cached` in its systemAttrs, and returned.
   */
  async tryFinish(study: Study, trial: Trial): Promise<FrozenTrial | undefined> {
    if (!(trial instanceof LocalTrial)) return undefined;
    const hit = await this.#replay.replay(trial);
    if (!hit) return undefined;
    for (const step in hit.intermediateValues) trial.report(hit.intermediateValues[step] as number, Number(step));
    for (const key in hit.userAttrs) trial.setUserAttr(key, hit.userAttrs[key] ?? null);
    trial.setSystemAttr('cached', true);
    if (hit.durationMs !== null) trial.setSystemAttr('cachedDurationMs', hit.durationMs);
    return study.tell(trial, hit.values);
  }

  /** Keeps a finished trial's result (COMPLETE ones only: pruning depends on the other trials). */
  async record(trial: FrozenTrial): Promise<void> {
    if (trial.state !== 'COMPLETE' || trial.systemAttrs['cached'] === true) return;
    await this.#replay.record(trial, traceOf(trial));
  }
}
