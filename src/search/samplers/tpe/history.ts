import { distributionsEqual, type Distribution } from '../../../trial/distributions.js';
import { violation } from '../../../trial/constraints.js';
import type { FrozenTrial } from '../../../trial/frozen-trial.js';
import type { Direction } from '../../../trial/state.js';
import type { StudyView } from '../../../trial/view.js';
import { SearchSpaceGroups } from './groups.js';

/** A growable column of numbers, NaN where a trial lacks the parameter. */
class Column {
  data: Float64Array;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(capacity, 16)).fill(Number.NaN);
  }
  ensure(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Float64Array(Math.max(capacity, this.data.length * 2)).fill(Number.NaN);
    next.set(this.data);
    this.data = next;
  }
}

/** Rank key of a trial for the good/bad split: smaller is better, compared element by element. */
type RankKey = readonly [number, number, number];

function compareKeys(a: RankKey, b: RankKey): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function insertSorted(list: RankKey[], key: RankKey): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(list[mid] as RankKey, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, key);
}

/**
 * What TPE needs from a study's finished trials, kept incrementally: a cursor into the view's
 * append-only `finishedTrials` means each trial is read once, when it finishes, never again.
 * - rows: COMPLETE and PRUNED trials sorted by number, one numeric column per parameter
 *   (internal values, NaN where absent), so building an estimator reads typed arrays, not trials;
 * - rankings for the good/bad split, kept sorted on insertion;
 * - the intersection search space of those trials (for multivariate TPE), and their group
 *   decomposition (for multivariate TPE with `group`).
 * FAIL trials are skipped, as in Optuna, and so are PRUNED ones of multi-objective studies.
 */
export class TrialHistory {
  readonly directions: readonly Direction[];
  #cursor = 0;
  #numbers = new Float64Array(64);
  #size = 0;
  readonly #columns = new Map<string, Column>();
  /** COMPLETE single-objective trials: [loss, trial number, 0]. */
  readonly completeRanking: RankKey[] = [];
  /** PRUNED trials: [-last step, loss at that step, trial number]. */
  readonly prunedRanking: RankKey[] = [];
  /** COMPLETE trials' losses (maximised objectives negated), for multi-objective splits. */
  readonly completeLosses = new Map<number, readonly number[]>();
  /**
   * With constraints: each ranked trial's violation (0 when feasible, see study/constraints.ts),
   * by trial number. Undefined when the sampler has no constraintsFunc.
   */
  readonly violations: Map<number, number> | undefined;
  #intersection: Map<string, Distribution> | undefined;
  readonly #groups = new SearchSpaceGroups();

  constructor(directions: readonly Direction[], withConstraints = false) {
    this.directions = directions;
    this.violations = withConstraints ? new Map() : undefined;
  }

  /** Reads the trials that finished since the last call. */
  sync(view: StudyView): void {
    const finished = view.finishedTrials;
    for (; this.#cursor < finished.length; this.#cursor++) this.#ingest(finished[this.#cursor] as FrozenTrial);
  }

  /** COMPLETE plus PRUNED trials seen. */
  get size(): number {
    return this.#size;
  }

  get numbers(): Float64Array {
    return this.#numbers.subarray(0, this.#size);
  }

  /** Internal values of a parameter by row (NaN where absent), or undefined if no row has it. */
  column(name: string): Float64Array | undefined {
    return this.#columns.get(name)?.data.subarray(0, this.#size);
  }

  /** Parameters every COMPLETE/PRUNED trial has, with the same distribution in all of them. */
  intersectionSpace(): ReadonlyMap<string, Distribution> {
    return this.#intersection ?? new Map();
  }

  /** Groups of parameters that always appear together in COMPLETE/PRUNED trials (Optuna's group decomposition). */
  groups(): readonly ReadonlyMap<string, Distribution>[] {
    return this.#groups.groups;
  }

  #loss(value: number, objective: number): number {
    return this.directions[objective] === 'maximize' ? -value : value;
  }

  #ingest(trial: FrozenTrial): void {
    if (trial.state !== 'COMPLETE' && trial.state !== 'PRUNED') return;
    // A pruned trial has no objective vector to rank with several objectives: Optuna skips it.
    if (trial.state === 'PRUNED' && this.directions.length > 1) return;
    if (trial.state === 'COMPLETE') {
      const values = trial.values ?? [];
      if (values.length !== this.directions.length) return;
      if (this.directions.length === 1) insertSorted(this.completeRanking, [this.#loss(values[0] as number, 0), trial.number, 0]);
      else this.completeLosses.set(trial.number, values.map((v, i) => this.#loss(v, i)));
    } else {
      insertSorted(this.prunedRanking, this.#prunedKey(trial));
    }
    this.violations?.set(trial.number, violation(trial));
    this.#addRow(trial);
    this.#intersect(trial.distributions);
    this.#groups.add(trial.distributions);
  }

  /** Optuna's order for pruned trials: further (larger last step) is better, then the value there. */
  #prunedKey(trial: FrozenTrial): RankKey {
    let step = -1;
    for (const key in trial.intermediateValues) step = Math.max(step, Number(key));
    if (step < 0) return [1, 0, trial.number];
    const v = trial.intermediateValues[step] as number;
    if (Number.isNaN(v)) return [-step, Infinity, trial.number];
    return [-step, this.directions.length === 1 ? this.#loss(v, 0) : v, trial.number];
  }

  #addRow(trial: FrozenTrial): void {
    const n = this.#size;
    if (n === this.#numbers.length) {
      const next = new Float64Array(n * 2);
      next.set(this.#numbers);
      this.#numbers = next;
    }
    for (const col of this.#columns.values()) col.ensure(n + 1);
    // Rows stay sorted by trial number (weights age observations by it); trials usually finish
    // in order, so this is an append, and a short shift when parallel trials finish out of order.
    let pos = n;
    while (pos > 0 && (this.#numbers[pos - 1] as number) > trial.number) pos--;
    if (pos < n) {
      this.#numbers.copyWithin(pos + 1, pos, n);
      for (const col of this.#columns.values()) {
        col.data.copyWithin(pos + 1, pos, n);
        col.data[pos] = Number.NaN;
      }
    }
    this.#numbers[pos] = trial.number;
    for (const name in trial.internalParams) {
      let col = this.#columns.get(name);
      if (col === undefined) {
        col = new Column(this.#numbers.length);
        this.#columns.set(name, col);
      }
      col.ensure(n + 1);
      col.data[pos] = trial.internalParams[name] as number;
    }
    this.#size = n + 1;
  }

  #intersect(distributions: Readonly<Record<string, Distribution>>): void {
    if (this.#intersection === undefined) {
      this.#intersection = new Map(Object.entries(distributions));
      return;
    }
    for (const [name, d] of this.#intersection) {
      const other = distributions[name];
      if (other === undefined || !distributionsEqual(d, other)) this.#intersection.delete(name);
    }
  }
}
