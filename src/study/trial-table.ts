import type { Distribution } from '../trial/distributions.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import { LiveTrials } from './live-trials.js';
import { isFinished, type Direction } from '../trial/state.js';
import type { StudyView } from '../trial/view.js';

/** Something that can describe its current state as a FrozenTrial: a trial running in this process. */
export interface LiveTrialSource {
  readonly number: number;
  snapshot(): FrozenTrial;
}

/**
 * The study's in-memory mirror of its trials, kept current as this process asks, suggests and
 * tells, and merged with what storage returns for trials of other processes. It is the
 * StudyView samplers and pruners read: no I/O, and finished trials are only ever appended.
 */
export class TrialTable implements StudyView {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly #trials: FrozenTrial[] = [];
  readonly #finished: FrozenTrial[] = [];
  readonly #live = new LiveTrials<LiveTrialSource>();
  readonly #runningRemote = new Map<number, FrozenTrial>();
  readonly #distributions = new Map<string, Distribution>();
  readonly #onStop: () => void;

  constructor(name: string, directions: readonly Direction[], onStop: () => void) {
    this.name = name;
    this.directions = directions;
    this.#onStop = onStop;
  }

  get trials(): readonly FrozenTrial[] {
    for (let i = 0; i < this.#live.count; i++) {
      const live = this.#live.at(i);
      this.#trials[live.number] = live.snapshot();
    }
    return this.#trials;
  }

  get finishedTrials(): readonly FrozenTrial[] {
    return this.#finished;
  }

  get paramDistributions(): ReadonlyMap<string, Distribution> {
    return this.#distributions;
  }

  runningTrials(): readonly FrozenTrial[] {
    const out: FrozenTrial[] = [];
    for (let i = 0; i < this.#live.count; i++) out.push(this.#live.at(i).snapshot());
    for (const remote of this.#runningRemote.values()) out.push(remote);
    return out;
  }

  stop(): void {
    this.#onStop();
  }

  /** The last stored state of a trial, or undefined. */
  get(number: number): FrozenTrial | undefined {
    const live = this.#live.get(number);
    return live ? live.snapshot() : this.#trials[number];
  }

  get size(): number {
    return this.#trials.length;
  }

  /** Registers a parameter's distribution for the study (the first one seen wins). */
  noteDistribution(name: string, distribution: Distribution): void {
    if (!this.#distributions.has(name)) this.#distributions.set(name, distribution);
  }

  /** A trial started in this process: the table reads its state from it while it runs. */
  addLive(live: LiveTrialSource): void {
    this.#live.set(live);
    this.#runningRemote.delete(live.number);
    this.#trials[live.number] = live.snapshot();
  }

  /** Records a trial's stored state (ours after tell, or anyone's read back from storage). */
  upsert(trial: FrozenTrial): void {
    const previous = this.#trials[trial.number];
    if (this.#live.has(trial.number) && !isFinished(trial.state)) return; // our own running trial: the live view is newer
    this.#live.delete(trial.number);
    this.#trials[trial.number] = trial;
    for (const name in trial.distributions) this.noteDistribution(name, trial.distributions[name] as Distribution);
    if (trial.state === 'RUNNING') this.#runningRemote.set(trial.number, trial);
    else this.#runningRemote.delete(trial.number);
    if (isFinished(trial.state) && !(previous !== undefined && isFinished(previous.state) && this.#finishedNumbers.has(trial.number))) {
      this.#finished.push(trial);
      this.#finishedNumbers.add(trial.number);
    }
  }

  readonly #finishedNumbers = new Set<number>();
}
