import type { FrozenTrial, StudyId } from '../../trial/frozen-trial.js';
import { isFinished, type TrialState } from '../../trial/state.js';

/**
 * What one process knows of one study's trials. Finished trials never change (but for this
 * process's own writes), so each is read once; unfinished ones are re-read on every read.
 */
export interface StudyTrials {
  readonly finished: Map<number, FrozenTrial>;
  live: Map<number, FrozenTrial>;
  maxTrialId: number;
  lastStaleCheck: number;
  /** When trials were last read, and whether any was WAITING then. */
  readAt: number;
  sawWaiting: boolean;
  /** Trials this process failed for lost heartbeats, not yet handed to failStaleTrials' caller. */
  stale: FrozenTrial[];
}

/** The trials of every study this process has read, so that a read fetches only what may have changed. */
export class TrialReadCache {
  readonly #studies = new Map<number, StudyTrials>();

  of(studyId: StudyId): StudyTrials {
    let study = this.#studies.get(studyId);
    if (study === undefined) {
      study = { finished: new Map(), live: new Map(), maxTrialId: 0, lastStaleCheck: 0, readAt: 0, sawWaiting: false, stale: [] };
      this.#studies.set(studyId, study);
    }
    return study;
  }

  /**
   * Takes in the trials just read (those new since the last read, and those unfinished then)
   * and returns the study's trials by number, filtered by state.
   */
  absorb(study: StudyTrials, read: readonly FrozenTrial[], states: readonly TrialState[] | undefined): FrozenTrial[] {
    const live = new Map<number, FrozenTrial>();
    for (const trial of read) {
      if (isFinished(trial.state)) study.finished.set(trial.trialId, trial);
      else live.set(trial.trialId, trial);
      if (trial.trialId > study.maxTrialId) study.maxTrialId = trial.trialId;
    }
    study.live = live;
    study.readAt = Date.now();
    study.sawWaiting = [...live.values()].some((t) => t.state === 'WAITING');
    const byNumber: FrozenTrial[] = [];
    for (const t of study.finished.values()) byNumber[t.number] = t;
    for (const t of live.values()) byNumber[t.number] = t;
    return byNumber.filter((t) => t !== undefined && (states === undefined || states.includes(t.state)));
  }

  /** The study was deleted. */
  drop(studyId: StudyId): void {
    this.#studies.delete(studyId);
  }

  /** This process wrote to the trial: re-read it next time even if it was finished. */
  forget(trialId: number): void {
    for (const study of this.#studies.values()) {
      const t = study.finished.get(trialId);
      if (t !== undefined) {
        study.finished.delete(trialId);
        study.live.set(trialId, t);
      }
    }
  }
}
