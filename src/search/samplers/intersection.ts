import { distributionsEqual, isSingle, type Distribution } from '../../trial/distributions.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { StudyView } from '../../trial/view.js';

/**
 * The parameters every COMPLETE trial of a study has, with the same distribution (Optuna's
 * IntersectionSearchSpace), kept incrementally from the view's append-only `finishedTrials`.
 * It is a pure function of the finished trials: a resumed study computes the same space.
 */
class Intersection {
  #cursor = 0;
  #space: Map<string, Distribution> | undefined;

  sync(view: StudyView): void {
    const finished = view.finishedTrials;
    for (; this.#cursor < finished.length; this.#cursor++) this.#ingest(finished[this.#cursor] as FrozenTrial);
  }

  #ingest(trial: FrozenTrial): void {
    if (trial.state !== 'COMPLETE') return;
    if (this.#space === undefined) {
      this.#space = new Map(Object.entries(trial.distributions));
      return;
    }
    for (const [name, d] of this.#space) {
      const other = trial.distributions[name];
      if (other === undefined || !distributionsEqual(d, other)) this.#space.delete(name);
    }
  }

  /** Sorted by name, without single-valued distributions (nothing to sample there). */
  space(): Record<string, Distribution> {
    const out: Record<string, Distribution> = {};
    if (this.#space === undefined) return out;
    for (const name of [...this.#space.keys()].sort()) {
      const d = this.#space.get(name) as Distribution;
      if (!isSingle(d)) out[name] = d;
    }
    return out;
  }
}

const cache = new WeakMap<StudyView, Intersection>();

/** The intersection search space of the study's COMPLETE trials (empty before the first). */
export function intersectionSearchSpace(view: StudyView): Record<string, Distribution> {
  let entry = cache.get(view);
  if (entry === undefined) {
    entry = new Intersection();
    cache.set(view, entry);
  }
  entry.sync(view);
  return entry.space();
}
