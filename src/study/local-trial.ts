import {
  categoricalDistribution,
  checkCompatible,
  contains,
  distributionsEqual,
  floatDistribution,
  intDistribution,
  isSingle,
  toExternal,
  toInternal,
  describeDistribution,
  type CategoricalChoice,
  type Distribution,
  type ParamValue,
  type RangeOptions,
} from '../trial/distributions.js';
import { DistributionConflictError, InvalidOptionError, TrialFinishedError } from '../errors.js';
import { isJsonValue, type JsonValue } from '../util/json.js';
import type { DraftPatch, TrialPatch } from '../storage/storage.js';
import type { FrozenTrial, TrialId } from '../trial/frozen-trial.js';
import type { Trial } from '../trial/trial.js';
import type { LiveTrialSource } from './trial-table.js';
import { inspect } from 'node:util';
import { frozenTrialText } from '../trial/trial-text.js';

/** What a running trial needs from its study. */
export interface TrialHost {
  /** The study-wide distribution for a name, if any trial used it before. */
  knownDistribution(name: string): Distribution | undefined;
  noteDistribution(name: string, distribution: Distribution): void;
  sampleIndependent(trial: LocalTrial, name: string, distribution: Distribution): number;
  shouldPrune(trial: LocalTrial): boolean;
  /** Persists a change in the background (ordered per trial); the study awaits it at tell. */
  persist(trial: LocalTrial, patch: TrialPatch): void;
}

type MutablePatch = {
  params?: Record<string, { value: number; distribution: Distribution }>;
  intermediateValues?: Record<number, number>;
  userAttrs?: Record<string, JsonValue>;
  systemAttrs?: Record<string, JsonValue>;
};

interface SnapshotParts {
  params?: Readonly<Record<string, ParamValue>> | undefined;
  internalParams?: Readonly<Record<string, number>> | undefined;
  distributions?: Readonly<Record<string, Distribution>> | undefined;
  intermediateValues?: Readonly<Record<number, number>> | undefined;
  userAttrs?: Readonly<Record<string, JsonValue>> | undefined;
  systemAttrs?: Readonly<Record<string, JsonValue>> | undefined;
}

interface OwnParams {
  readonly internal: Record<string, number>;
  // External values, kept beside the internal ones so a snapshot is a copy, not a conversion.
  readonly external: Record<string, ParamValue>;
  readonly distributions: Record<string, Distribution>;
}

function ownParams(stored: FrozenTrial): OwnParams {
  const internal = { ...stored.internalParams };
  const distributions = { ...stored.distributions };
  const external: Record<string, ParamValue> = {};
  for (const name in internal) external[name] = toExternal(distributions[name] as Distribution, internal[name] as number);
  return { internal, external, distributions };
}

const RESOLVED = Promise.resolve();
const NONE: Readonly<Record<string, never>> = {};

/** A trial running in this thread. Its suggestions are decided synchronously and stored in the background. */
export class LocalTrial implements Trial, LiveTrialSource {
  readonly number: number;
  readonly trialId: TrialId;
  readonly #host: TrialHost;
  // The trial's own params, made on its first suggest (until then the stored trial's are read).
  #own: OwnParams | undefined;
  // Reports and attributes are rarely written during a trial: until one is, it is read (and
  // snapshotted) straight from the stored trial, and copied on its first change. So are params.
  readonly #stored: FrozenTrial;
  #intermediate: Record<number, number> | undefined;
  #userAttrs: Record<string, JsonValue> | undefined;
  #systemAttrs: Record<string, JsonValue> | undefined;
  readonly #datetimeStart: Date | undefined;
  readonly #fixed: Readonly<Record<string, ParamValue>>;
  #relative: Readonly<Record<string, number>> = NONE;
  #relativeSpace: Readonly<Record<string, Distribution>> = NONE;
  #snapshot: FrozenTrial | undefined;
  // Copies of each record as of the last snapshot, dropped only when that record changes: the
  // sampler gets a fresh snapshot before every suggest, and copying every record each time
  // made a 10-parameter trial cost O(params²) object copies (the engine's largest cost).
  #parts: SnapshotParts = {};
  #finished = false;
  #pending: MutablePatch | undefined;

  constructor(host: TrialHost, stored: FrozenTrial, fixedParams: Readonly<Record<string, ParamValue>>) {
    this.#host = host;
    this.number = stored.number;
    this.trialId = stored.trialId;
    this.#stored = stored;
    this.#datetimeStart = stored.datetimeStart ?? new Date();
    this.#fixed = fixedParams;
  }

  get params(): Readonly<Record<string, ParamValue>> {
    return this.snapshot().params;
  }

  /** `Trial #3 RUNNING { x: 1.2, optimizer: 'adam' }` in the REPL, a cell's value or a console.log. */
  [inspect.custom](): string {
    return frozenTrialText(this.snapshot(), 'Trial');
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return { ...(this.#own?.distributions ?? this.#stored.distributions) };
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return { ...(this.#userAttrs ?? this.#stored.userAttrs) };
  }

  get systemAttrs(): Readonly<Record<string, JsonValue>> {
    return { ...(this.#systemAttrs ?? this.#stored.systemAttrs) };
  }

  get intermediateValues(): Readonly<Record<number, number>> {
    return { ...(this.#intermediate ?? this.#stored.intermediateValues) };
  }

  /** Sets the jointly sampled values (from the sampler's relative search space). */
  setRelative(space: Readonly<Record<string, Distribution>>, values: Readonly<Record<string, number>>): void {
    this.#relativeSpace = space;
    this.#relative = values;
  }

  suggestFloat(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.#suggest(name, floatDistribution(name, low, high, options)) as number;
  }

  suggestInt(name: string, low: number, high: number, options?: RangeOptions): number {
    return this.#suggest(name, intDistribution(name, low, high, options)) as number;
  }

  suggestCategorical<const T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.#suggest(name, categoricalDistribution(name, choices)) as T;
  }

  /** Suggests a parameter from an explicit distribution record (used by ask with fixed distributions). */
  suggest(name: string, distribution: Distribution): ParamValue {
    return this.#suggest(name, distribution);
  }

  #suggest(name: string, distribution: Distribution): ParamValue {
    this.#assertRunning('suggest parameters');
    const existing = (this.#own?.distributions ?? this.#stored.distributions)[name];
    if (existing !== undefined) {
      if (!distributionsEqual(existing, distribution)) {
        throw new DistributionConflictError(
          name,
          `this trial already suggested it as ${describeDistribution(existing)}, now as ${describeDistribution(distribution)}; use one definition per name`,
        );
      }
      return toExternal(existing, (this.#own?.internal ?? this.#stored.internalParams)[name] as number);
    }
    const known = this.#host.knownDistribution(name);
    if (known !== undefined) checkCompatible(name, known, distribution);

    const internal = this.#choose(name, distribution);
    const external = toExternal(distribution, internal);
    const own = (this.#own ??= ownParams(this.#stored));
    own.internal[name] = internal;
    own.external[name] = external;
    own.distributions[name] = distribution;
    this.#host.noteDistribution(name, distribution);
    (this.#change('params').params ??= {})[name] = { value: internal, distribution };
    return external;
  }

  #choose(name: string, distribution: Distribution): number {
    if (name in this.#fixed) {
      const fixedValue = this.#fixed[name] as ParamValue;
      let internal: number;
      try {
        internal = toInternal(distribution, fixedValue);
      } catch {
        throw new InvalidOptionError(
          `enqueued value ${JSON.stringify(fixedValue)} for parameter '${name}' does not fit ${describeDistribution(distribution)}; enqueue a value the objective can suggest`,
        );
      }
      if (distribution.kind !== 'categorical' && !contains(distribution, internal)) {
        throw new InvalidOptionError(
          `enqueued value ${fixedValue} for parameter '${name}' lies outside ${describeDistribution(distribution)}; enqueue a value inside the range`,
        );
      }
      return internal;
    }
    const relativeDistribution = this.#relativeSpace[name];
    const relativeValue = this.#relative[name];
    if (relativeValue !== undefined && relativeDistribution !== undefined && distributionsEqual(relativeDistribution, distribution)) {
      return relativeValue;
    }
    if (isSingle(distribution)) return distribution.kind === 'categorical' ? 0 : distribution.low;
    return this.#host.sampleIndependent(this, name, distribution);
  }

  report(value: number, step: number): void {
    this.#assertRunning('report values');
    if (typeof value !== 'number') throw new InvalidOptionError(`trial.report(value, step): value must be a number, got ${typeof value}`);
    if (!Number.isInteger(step) || step < 0) {
      throw new InvalidOptionError(`trial.report(value, step): step must be a whole number >= 0, got ${step}`);
    }
    // As in Optuna: a step reported twice keeps its first value.
    if (step in (this.#intermediate ?? this.#stored.intermediateValues)) return;
    (this.#intermediate ??= { ...this.#stored.intermediateValues })[step] = value;
    (this.#change('intermediateValues').intermediateValues ??= {})[step] = value;
  }

  shouldPrune(): boolean {
    this.#assertRunning('be pruned');
    return this.#host.shouldPrune(this);
  }

  setUserAttr(key: string, value: JsonValue): void {
    this.#assertRunning('take attributes');
    if (!isJsonValue(value)) throw new InvalidOptionError(`setUserAttr('${key}', ...): the value must be JSON-safe (strings, finite numbers, booleans, null, arrays, plain objects)`);
    (this.#userAttrs ??= { ...this.#stored.userAttrs })[key] = value;
    (this.#change('userAttrs').userAttrs ??= {})[key] = value;
  }

  setSystemAttr(key: string, value: JsonValue): void {
    (this.#systemAttrs ??= { ...this.#stored.systemAttrs })[key] = value;
    (this.#change('systemAttrs').systemAttrs ??= {})[key] = value;
  }

  /** Takes the changes not yet persisted (the study sends them with the final state at tell). */
  takePending(): DraftPatch {
    const pending = this.#pending ?? {};
    this.#pending = undefined;
    return pending;
  }

  markFinished(): void {
    this.#finished = true;
  }

  get finished(): boolean {
    return this.#finished;
  }

  snapshot(): FrozenTrial {
    if (this.#snapshot) return this.#snapshot;
    const parts = this.#parts;
    if (parts.params === undefined) {
      const own = this.#own;
      parts.params = own ? { ...own.external } : this.#stored.params;
      parts.internalParams = own ? { ...own.internal } : this.#stored.internalParams;
      parts.distributions = own ? { ...own.distributions } : this.#stored.distributions;
    }
    this.#snapshot = {
      trialId: this.trialId,
      number: this.number,
      state: 'RUNNING',
      value: undefined,
      values: undefined,
      params: parts.params,
      internalParams: parts.internalParams as Record<string, number>,
      distributions: parts.distributions as Record<string, Distribution>,
      intermediateValues: (parts.intermediateValues ??= this.#intermediate ? { ...this.#intermediate } : this.#stored.intermediateValues),
      userAttrs: (parts.userAttrs ??= this.#userAttrs ? { ...this.#userAttrs } : this.#stored.userAttrs),
      systemAttrs: (parts.systemAttrs ??= this.#systemAttrs ? { ...this.#systemAttrs } : this.#stored.systemAttrs),
      datetimeStart: this.#datetimeStart,
      datetimeComplete: undefined,
      durationMs: undefined,
    };
    return this.#snapshot;
  }

  #change(part: 'params' | 'intermediateValues' | 'userAttrs' | 'systemAttrs'): MutablePatch {
    this.#snapshot = undefined;
    if (part === 'params') {
      this.#parts.params = undefined;
      this.#parts.internalParams = undefined;
      this.#parts.distributions = undefined;
    } else {
      this.#parts[part] = undefined;
    }
    if (this.#pending === undefined) {
      this.#pending = {};
      // Flushed once the objective yields (an await), so a long trial's params and reports
      // reach storage while it runs; a synchronous objective's are sent with its result.
      // (A promise reaction, not queueMicrotask: same queue and order, without the async-hooks
      // resource Node makes for every queueMicrotask call.) persist() reports its own failures.
      void RESOLVED.then(() => {
        if (this.#pending !== undefined && !this.#finished) this.#host.persist(this, this.takePending());
      });
    }
    return this.#pending;
  }

  #assertRunning(action: string): void {
    if (this.#finished) throw new TrialFinishedError(this.number, 'finished', action);
  }
}
