import type { Distribution } from '../../../trial/distributions.js';

/**
 * Optuna's group decomposition of a define-by-run search space (TPESampler `group`): the
 * parameter names split into the coarsest groups whose members always appear together — in
 * every trial seen, a group's parameters are either all present or all absent. Each trial
 * refines the groups: a group splits into the part the trial has and the part it lacks, and
 * the trial's new names form a group of their own. Refining with a trial already seen changes
 * nothing, so trials can be added one at a time as they finish. A name keeps the distribution
 * it was first seen with.
 */
export class SearchSpaceGroups {
  #groups: Map<string, Distribution>[] = [];

  get groups(): readonly ReadonlyMap<string, Distribution>[] {
    return this.#groups;
  }

  add(distributions: Readonly<Record<string, Distribution>>): void {
    const fresh = new Set(Object.keys(distributions));
    const next: Map<string, Distribution>[] = [];
    for (const group of this.#groups) {
      const inside = new Map<string, Distribution>();
      const outside = new Map<string, Distribution>();
      for (const [name, d] of group) (fresh.has(name) ? inside : outside).set(name, d);
      for (const name of group.keys()) fresh.delete(name);
      next.push(inside, outside);
    }
    next.push(new Map([...fresh].map((name) => [name, distributions[name] as Distribution])));
    this.#groups = next.filter((g) => g.size > 0);
  }
}
