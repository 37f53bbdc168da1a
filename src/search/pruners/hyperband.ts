import { InvalidOptionError } from '../../errors.js';
import type { FrozenTrial } from '../../trial/frozen-trial.js';
import type { StudyView } from '../../trial/view.js';
import { crc32 } from '../../util/crc32.js';
import type { Pruner, PruneDecision } from '../pruner.js';
import { checkOptionsObject, intOption, intOrAutoOption } from './check-options.js';
import { lastStep, singleDirection } from './intermediate.js';
import { climbRungs } from './rungs.js';

export interface HyperbandPrunerOptions {
  /** Steps before the first rung of the most aggressive bracket. Default 1. */
  readonly minResource?: number;
  /** The most steps a trial runs; 'auto' (default): the largest last step of the first COMPLETE trials + 1. */
  readonly maxResource?: number | 'auto';
  /** About 1 in reductionFactor trials goes on at each rung. Default 3. */
  readonly reductionFactor?: number;
  /** Prune at a rung until more than this many trials of the bracket have reached it. Default 0. */
  readonly bootstrapCount?: number;
}

/** The brackets of one study, fixed once maxResource is known. */
interface Layout {
  readonly budgets: readonly number[];
  readonly totalBudget: number;
  /** Bracket of each trial number, filled as trials are seen (crc32 is cheap but not free). */
  readonly bracketOf: number[];
}

const OWNER = 'HyperbandPruner';

/**
 * Hyperband as in Optuna: several successive-halving brackets, bracket b starting its first rung at
 * minResource · reductionFactor^b steps. A trial's bracket comes from crc32(`${study}_${number}`),
 * so a named study assigns the same brackets as Optuna does; a bracket's trials compete only with
 * each other.
 */
export class HyperbandPruner implements Pruner {
  readonly #minResource: number;
  readonly #maxResource: number | 'auto';
  readonly #reductionFactor: number;
  readonly #bootstrapCount: number;
  readonly #layouts = new Map<string, Layout>();

  constructor(options: HyperbandPrunerOptions = {}) {
    const checked = checkOptionsObject(OWNER, options, ['minResource', 'maxResource', 'reductionFactor', 'bootstrapCount']);
    this.#minResource = intOption(OWNER, checked, 'minResource', 1, 1, 'pass the steps every trial gets before it can be pruned, e.g. 1');
    this.#maxResource = intOrAutoOption(OWNER, checked, 'maxResource', 1, "pass the most steps a trial reports (e.g. the number of epochs), or 'auto'");
    this.#reductionFactor = intOption(OWNER, checked, 'reductionFactor', 3, 2, 'pass 2 or more, e.g. 3 (the share of trials kept at each rung is 1/reductionFactor)');
    this.#bootstrapCount = intOption(OWNER, checked, 'bootstrapCount', 0, 0, 'pass 0 to judge a rung from its first trial');
    if (typeof this.#maxResource === 'number' && this.#maxResource < this.#minResource) {
      throw new InvalidOptionError(
        `${OWNER}({ maxResource: ${this.#maxResource} }): must be at least minResource (${this.#minResource}); pass the most steps a trial reports, or 'auto'`,
      );
    }
    if (this.#bootstrapCount > 0 && this.#maxResource === 'auto') {
      throw new InvalidOptionError(
        `${OWNER}({ bootstrapCount: ${this.#bootstrapCount}, maxResource: 'auto' }): bootstrapCount needs a fixed maxResource; pass maxResource as the most steps a trial reports, e.g. 100`,
      );
    }
  }

  prune(study: StudyView, trial: FrozenTrial): PruneDecision {
    const layout = this.#layout(study);
    if (layout === undefined) return { prune: false };
    const bracket = bracketOf(layout, study.name, trial.number);
    const members: FrozenTrial[] = [];
    for (const t of study.trials) if (t !== undefined && bracketOf(layout, study.name, t.number) === bracket) members.push(t);
    return climbRungs(members, trial, singleDirection(study.directions), {
      minResource: this.#minResource,
      reductionFactor: this.#reductionFactor,
      minEarlyStoppingRate: bracket,
      bootstrapCount: this.#bootstrapCount,
    });
  }

  #layout(study: StudyView): Layout | undefined {
    const known = this.#layouts.get(study.name);
    if (known !== undefined) return known;
    const maxResource = this.#maxResource === 'auto' ? autoMaxResource(study) : this.#maxResource;
    if (maxResource === undefined) return undefined;
    const eta = this.#reductionFactor;
    // floor(log_η(max/min)) + 1 brackets, computed as Python's math.log(x, base) does.
    const nBrackets = Math.floor(Math.log(maxResource / this.#minResource) / Math.log(eta)) + 1;
    const budgets: number[] = [];
    for (let b = 0; b < nBrackets; b++) {
      const s = nBrackets - 1 - b;
      budgets.push(Math.ceil((nBrackets * eta ** s) / (s + 1)));
    }
    const layout: Layout = { budgets, totalBudget: budgets.reduce((a, b) => a + b, 0), bracketOf: [] };
    this.#layouts.set(study.name, layout);
    return layout;
  }
}

function autoMaxResource(study: StudyView): number | undefined {
  let last: number | undefined;
  for (const t of study.finishedTrials) {
    if (t.state !== 'COMPLETE') continue;
    const s = lastStep(t);
    if (s !== undefined && (last === undefined || s > last)) last = s;
  }
  return last === undefined ? undefined : last + 1;
}

/** Brackets get trials in proportion to their budgets, by hashing the study name and trial number. */
function bracketOf(layout: Layout, studyName: string, number: number): number {
  const cached = layout.bracketOf[number];
  if (cached !== undefined) return cached;
  let n = crc32(`${studyName}_${number}`) % layout.totalBudget;
  let bracket = 0;
  for (; bracket < layout.budgets.length - 1; bracket++) {
    n -= layout.budgets[bracket] as number;
    if (n < 0) break;
  }
  layout.bracketOf[number] = bracket;
  return bracket;
}
