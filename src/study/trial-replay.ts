import { distributionsEqual, toInternal, type Distribution } from '../trial/distributions.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { LocalTrial } from './local-trial.js';
import type { JsonValue } from '../util/json.js';
import type { EvalCache } from '../cache/eval-cache.js';
import { evaluationKey, scopeKey, type EvalScope } from '../cache/keys.js';

/** What the cache keeps of a COMPLETE trial: the suggest calls in order, and what came out. */
export interface CachedEvaluation {
  readonly trace: ReadonlyArray<readonly [name: string, distribution: Distribution, internal: number]>;
  readonly values: readonly number[];
  readonly intermediateValues: Readonly<Record<number, number>>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly durationMs: number | null;
}

interface Node {
  /** The suggest call a deterministic objective makes next from here; 'ambiguous' if traces disagree. */
  next?: { readonly name: string; readonly distribution: Distribution } | 'ambiguous';
  readonly children: Map<number, Node>;
  leaf?: CachedEvaluation;
}

/**
 * Memoized trials for define-by-run objectives. Params are only known as the objective suggests
 * them, so a cache cannot be asked "what did these params give" before running it. Instead each
 * cached trial keeps its trace of suggest calls; a new trial replays the traces against the
 * study's sampler (which a seed makes deterministic): every step asks the sampler for the same
 * parameter the objective would ask for next, and the walk ends on a cached result (a hit) or on
 * a value no cached trial had (a miss: the objective runs, and its suggests return the values
 * already drawn, so nothing is sampled twice).
 */
export class TrialReplay {
  readonly #cache: EvalCache;
  readonly #scope: EvalScope;
  readonly #prefix: string;
  readonly #root: Node = { children: new Map() };
  #loaded: Promise<void> | undefined;

  constructor(cache: EvalCache, scope: EvalScope) {
    this.#cache = cache;
    this.#scope = scope;
    this.#prefix = `${scopeKey(scope)}!`;
  }

  /** Suggests along the cached traces; returns the cached evaluation on a hit. */
  async replay(trial: LocalTrial): Promise<CachedEvaluation | undefined> {
    await this.#load();
    let node = this.#root;
    for (;;) {
      const next = node.next;
      if (next === undefined) return node.leaf;
      if (next === 'ambiguous' || node.leaf) return undefined;
      const internal = toInternal(next.distribution, trial.suggest(next.name, next.distribution));
      const child = node.children.get(internal);
      if (!child) return undefined;
      node = child;
    }
  }

  /** Stores a COMPLETE trial's result under its params and adds its trace. */
  async record(trial: FrozenTrial, trace: CachedEvaluation['trace']): Promise<void> {
    if (trial.state !== 'COMPLETE' || trial.values === undefined) return;
    const { cached: _cached, ...userAttrs } = trial.userAttrs;
    const evaluation: CachedEvaluation = {
      trace,
      values: trial.values,
      intermediateValues: trial.intermediateValues,
      userAttrs,
      durationMs: trial.durationMs ?? null,
    };
    const params: Record<string, JsonValue> = {};
    for (const [name, , internal] of trace) params[name] = internal;
    await this.#cache.set(evaluationKey(this.#scope, params), evaluation as unknown as JsonValue);
    this.#insert(evaluation);
  }

  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      for (const key of await this.#cache.keys(this.#prefix)) {
        const value = await this.#cache.get(key);
        if (isEvaluation(value)) this.#insert(value);
      }
    })();
    return this.#loaded;
  }

  #insert(evaluation: CachedEvaluation): void {
    let node = this.#root;
    for (const [name, distribution, internal] of evaluation.trace) {
      if (node.next === undefined) node.next = { name, distribution };
      else if (node.next !== 'ambiguous' && !(node.next.name === name && distributionsEqual(node.next.distribution, distribution))) {
        // The objective changed its order of suggests: replaying from here could ask the wrong thing.
        node.next = 'ambiguous';
      }
      let child = node.children.get(internal);
      if (!child) {
        child = { children: new Map() };
        node.children.set(internal, child);
      }
      node = child;
    }
    node.leaf = evaluation;
  }
}

/** The order in which a trial suggested its params (storage keeps insertion order of names). */
export function traceOf(trial: FrozenTrial): CachedEvaluation['trace'] {
  return Object.keys(trial.internalParams).map((name) => [name, trial.distributions[name] as Distribution, trial.internalParams[name] as number] as const);
}

function isEvaluation(value: unknown): value is CachedEvaluation {
  return value !== null && typeof value === 'object' && Array.isArray((value as CachedEvaluation).trace) && Array.isArray((value as CachedEvaluation).values);
}
