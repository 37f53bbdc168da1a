import { InvalidOptionError } from '../../errors.js';
import { canonicalJson, isJsonValue, type JsonValue } from '../../util/json.js';
import { Rng } from '../../util/rng.js';
import { contains, describeDistribution, indexOfChoice, toInternal, type Distribution, type ParamValue } from '../../trial/distributions.js';
import type { Sampler } from '../sampler.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { StudyView } from '../../trial/view.js';

export type SearchGrid = Readonly<Record<string, readonly ParamValue[]>>;

export interface GridSamplerOptions {
  /** Shuffle the visiting order with this seed; without it, points are visited in grid order. */
  readonly seed?: number;
}

const GRID_ID = 'gridId';

/**
 * Visits every point of a given grid once. The study stops when every point has been taken.
 * The objective must suggest exactly the grid's parameters. A grid value outside the suggest
 * call's range or step is used as it is, with a warning (code TUNELAB_GRID_OUTSIDE_DISTRIBUTION)
 * once per value, as Optuna does; a value the distribution cannot hold at all (a string for a
 * float, a missing choice) is an InvalidOptionError.
 */
export class GridSampler implements Sampler {
  readonly #names: readonly string[];
  readonly #grid: SearchGrid;
  readonly #order: readonly number[];
  readonly size: number;
  /** Grid values already warned about as outside their distribution, as name and canonical JSON. */
  readonly #warnedOutside = new Set<string>();

  constructor(searchSpace: SearchGrid, options: GridSamplerOptions = {}) {
    if (searchSpace === null || typeof searchSpace !== 'object') throw new InvalidOptionError('GridSampler(searchSpace): expected an object such as { x: [0, 1], kind: ["a", "b"] }');
    this.#names = Object.keys(searchSpace).sort();
    if (this.#names.length === 0) throw new InvalidOptionError('GridSampler(searchSpace): the grid has no parameters');
    for (const name of this.#names) {
      const values = searchSpace[name];
      if (!Array.isArray(values) || values.length === 0) throw new InvalidOptionError(`GridSampler: parameter '${name}' needs a non-empty array of values`);
      if (!values.every((v) => isJsonValue(v))) throw new InvalidOptionError(`GridSampler: parameter '${name}' has a value that is not JSON-safe`);
    }
    this.#grid = searchSpace;
    this.size = this.#names.reduce((n, name) => n * (searchSpace[name] as readonly ParamValue[]).length, 1);
    const order = Array.from({ length: this.size }, (_, i) => i);
    if (options.seed !== undefined) {
      const rng = new Rng(options.seed);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
    }
    this.#order = order;
  }

  /** The grid point with this id, as { name: value }. */
  point(id: number): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    let rest = id;
    for (let i = this.#names.length - 1; i >= 0; i--) {
      const name = this.#names[i] as string;
      const values = this.#grid[name] as readonly ParamValue[];
      out[name] = values[rest % values.length] as ParamValue;
      rest = Math.floor(rest / values.length);
    }
    return out;
  }

  #takenIds(study: StudyView): Set<number> {
    const taken = new Set<number>();
    for (const t of study.trials) {
      const id = t?.systemAttrs[GRID_ID];
      if (typeof id === 'number' && t.state !== 'WAITING') taken.add(id);
    }
    return taken;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): Readonly<Record<string, JsonValue>> {
    const taken = this.#takenIds(study);
    taken.delete(trial.systemAttrs[GRID_ID] as number);
    const free = this.#order.find((id) => !taken.has(id));
    // Every point taken (possible with parallel workers): repeat one, as Optuna does.
    const id = free ?? (this.#order[trial.number % this.size] as number);
    return { [GRID_ID]: id };
  }

  isExhausted(study: StudyView): boolean {
    return this.#takenIds(study).size >= this.size;
  }

  inferRelativeSearchSpace(): Readonly<Record<string, Distribution>> {
    return {};
  }

  sampleRelative(): Readonly<Record<string, number>> {
    return {};
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    const id = trial.systemAttrs[GRID_ID];
    if (!(name in this.#grid)) {
      throw new InvalidOptionError(`GridSampler: the objective suggested '${name}', which is not in the grid (${this.#names.join(', ')}); add it to the grid`);
    }
    if (typeof id !== 'number') throw new InvalidOptionError('GridSampler: the trial has no grid point; was it created by another sampler?');
    const value = this.point(id)[name] as ParamValue;
    let internal: number;
    try {
      internal = toInternal(distribution, value);
      if (distribution.kind === 'categorical' && indexOfChoice(distribution, value) < 0) throw new RangeError('not a choice');
    } catch {
      throw new InvalidOptionError(`GridSampler: grid value ${canonicalJson(value)} of '${name}' is not a valid value of the suggested distribution; make the grid and the suggest call agree`);
    }
    // Optuna uses such a value as it is, and warns: a grid deliberately wider than the suggest
    // call is legitimate, a typo in either is not, and only the user knows which.
    if (!contains(distribution, internal)) this.#warnOutside(name, value, distribution);
    return internal;
  }

  #warnOutside(name: string, value: ParamValue, distribution: Distribution): void {
    const key = `${name}\u0000${canonicalJson(value)}`;
    if (this.#warnedOutside.has(key)) return;
    this.#warnedOutside.add(key);
    process.emitWarning(
      `GridSampler: grid value ${canonicalJson(value)} of '${name}' is outside the suggested ${describeDistribution(distribution)}; it is used as it is (as Optuna does). If that is not meant, make the grid and the suggest call agree`,
      { code: 'TUNELAB_GRID_OUTSIDE_DISTRIBUTION' },
    );
  }
}
