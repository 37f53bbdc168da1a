import { InvalidOptionError } from '../../../errors.js';
import type { FrozenTrial } from '../../../trial/frozen-trial.js';
import type { StudyView } from '../../../trial/view.js';
import type { JsonValue } from '../../../util/json.js';
import { Rng } from '../../../util/rng.js';
import type { Distribution } from '../../../trial/distributions.js';
import type { Sampler } from '../../sampler.js';
import { GPSampler } from '../gp/sampler.js';
import { NSGAIISampler } from '../nsgaii/sampler.js';
import { TPESampler } from '../tpe/sampler.js';
import { chooseSampler, type AutoChoice } from './choose.js';

export interface AutoSamplerOptions {
  /** Seed of both samplers it chooses between. */
  readonly seed?: number;
  /** Constraints of a finished trial (≤ 0 when satisfied), handed to the GP and TPE alike. */
  readonly constraintsFunc?: (trial: FrozenTrial) => readonly number[];
}

/** System attribute on each trial: which sampler proposed it, and why. The study summary shows the newest. */
export const AUTO_KEY = 'auto:sampler';

/**
 * Chooses the sampler per trial from the study's trials so far (see chooseSampler): Gaussian
 * process Bayesian optimisation for small single-objective studies on one shared space, TPE for
 * conditional spaces, long studies and short several-objective ones, NSGA-II for long
 * several-objective studies. The choice and its reason are stored
 * on each trial (`auto:sampler`) and shown in the study summary.
 */
export class AutoSampler implements Sampler {
  readonly seed: number;
  readonly gp: GPSampler;
  readonly tpe: TPESampler;
  readonly nsga2: NSGAIISampler;

  constructor(options: AutoSamplerOptions = {}) {
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('AutoSampler(options): expected an object such as { seed: 1 }');
    this.seed = options.seed ?? Rng.entropySeed();
    if (!Number.isFinite(this.seed)) throw new InvalidOptionError(`AutoSampler seed must be a finite number, got ${String(options.seed)}`);
    const constraints = options.constraintsFunc === undefined ? {} : { constraintsFunc: options.constraintsFunc };
    this.gp = new GPSampler({ seed: this.seed, ...constraints });
    this.tpe = new TPESampler({ seed: this.seed, ...constraints });
    this.nsga2 = new NSGAIISampler({ seed: this.seed, ...constraints });
  }

  /** The sampler a trial was given when it started (stored on it), or the choice for the study now. */
  #delegate(study: StudyView, trial?: FrozenTrial): Sampler {
    const stored = trial?.systemAttrs[AUTO_KEY];
    const choice: AutoChoice = typeof stored === 'string' ? storedChoice(stored) : chooseSampler(study).choice;
    return this.#sampler(choice);
  }

  #sampler(choice: AutoChoice): Sampler {
    return choice === 'gp' ? this.gp : choice === 'nsga2' ? this.nsga2 : this.tpe;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): Readonly<Record<string, JsonValue>> {
    const { choice, reason } = chooseSampler(study);
    const inner = this.#sampler(choice).beforeTrial?.(study, trial);
    return { ...(inner ?? {}), [AUTO_KEY]: `${choice}: ${reason}` };
  }

  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): Readonly<Record<string, Distribution>> {
    return this.#delegate(study, trial).inferRelativeSearchSpace(study, trial);
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: Readonly<Record<string, Distribution>>): Readonly<Record<string, number>> {
    return this.#delegate(study, trial).sampleRelative(study, trial, searchSpace);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    return this.#delegate(study, trial).sampleIndependent(study, trial, name, distribution);
  }

  trialFinishing(study: StudyView, trial: FrozenTrial): Readonly<Record<string, JsonValue>> | void {
    // The GP stores its kernel for the trials it proposed, and the constraints of every trial
    // (computed as TPE would) when there is a constraintsFunc.
    return this.gp.trialFinishing(study, trial);
  }

  afterTrial(study: StudyView, trial: FrozenTrial): void {
    this.gp.afterTrial(study, trial);
    (this.tpe as Sampler).afterTrial?.(study, trial);
  }
}

function storedChoice(stored: string): AutoChoice {
  if (stored.startsWith('gp')) return 'gp';
  return stored.startsWith('nsga2') ? 'nsga2' : 'tpe';
}
