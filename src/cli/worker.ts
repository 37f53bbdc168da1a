import { resolve } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import type { Sampler } from '../search/sampler.js';
import { defaultSampler } from '../search/samplers/default.js';
import { GPSampler } from '../search/samplers/gp/sampler.js';
import { NSGAIISampler } from '../search/samplers/nsgaii/sampler.js';
import { RandomSampler } from '../search/samplers/random.js';
import { TPESampler } from '../search/samplers/tpe/sampler.js';
import { createStudy } from '../study/create.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';
import type { OptimizeOptions } from '../study/optimize-options.js';
import type { Direction, TrialState } from '../trial/state.js';
import { loadObjective } from './load-objective.js';

export interface WorkerOptions {
  readonly study: string;
  readonly storage: string;
  readonly objective: string;
  /** Trials this worker runs; absent: until the study's totalTrials, or until interrupted. */
  readonly trials?: number;
  /** Stored in the study (system attribute `totalTrials`), so every worker stops at the same total. */
  readonly totalTrials?: number;
  readonly direction?: Direction;
  readonly sampler?: WorkerSampler;
  readonly workers?: number;
  readonly retryFailed?: number;
  /** Stop after this many of this worker's trials failed in a row (default 10). */
  readonly maxConsecutiveFailures?: number;
}

/** The study system attribute in which `--total-trials` is kept for all workers of a study. */
export const TOTAL_TRIALS_ATTR = 'totalTrials';

/**
 * The samplers `tunelab worker --sampler` names: each rebuilds its state from the stored trials and
 * needs no seed shared between workers. (QMC and CMA-ES restarts draw from the seed, so workers
 * with their own seeds would disagree; they are for one process.)
 */
export type WorkerSampler = 'auto' | 'tpe' | 'gp' | 'nsga2' | 'random';

const WORKER_SAMPLERS: Readonly<Record<WorkerSampler, () => Sampler>> = {
  auto: () => defaultSampler(),
  tpe: () => new TPESampler(),
  gp: () => new GPSampler(),
  nsga2: () => new NSGAIISampler(),
  random: () => new RandomSampler(),
};

function samplerFor(name: WorkerSampler = 'auto'): Sampler {
  return WORKER_SAMPLERS[name]();
}

/**
 * `tunelab worker`: joins the study (creating it if absent) and runs trials until its own
 * `trials` are done, the study holds `totalTrials`, or SIGINT/SIGTERM. An interrupt fails the
 * running trial as "interrupted" (nothing stays RUNNING); a second one exits at once.
 * Returns the process exit code.
 */
export async function runWorker(options: WorkerOptions, log: (line: string) => void = console.log): Promise<number> {
  const objective = options.workers ? resolve(options.objective) : await loadObjective(options.objective);
  const study = await createStudy({
    name: options.study,
    storage: options.storage,
    direction: options.direction ?? 'minimize',
    sampler: samplerFor(options.sampler),
    loadIfExists: true,
  });
  const storage = study.storage;
  if (options.totalTrials !== undefined) await storage.setStudySystemAttr(study.studyId, TOTAL_TRIALS_ATTR, options.totalTrials);
  const stored = (await storage.getStudySystemAttrs(study.studyId))[TOTAL_TRIALS_ATTR];
  const totalTrials = typeof stored === 'number' && Number.isInteger(stored) && stored > 0 ? stored : undefined;

  const abort = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== undefined) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    signalled = signal;
    log(`tunelab worker: ${signal}: failing the running trial as "interrupted" and stopping (again to exit at once)`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const counts: Partial<Record<TrialState, number>> = {};
  const optimizeOptions: OptimizeOptions<unknown> = {
    signal: abort.signal,
    progress: false,
    catch: true,
    callbacks: [(_s, t: FrozenTrial) => void (counts[t.state] = (counts[t.state] ?? 0) + 1)],
    ...(options.trials !== undefined && { nTrials: options.trials }),
    ...(totalTrials !== undefined && { totalTrials }),
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.retryFailed !== undefined && { retryFailed: options.retryFailed }),
    ...(options.maxConsecutiveFailures !== undefined && { maxConsecutiveFailures: options.maxConsecutiveFailures }),
  };
  try {
    await study.optimize(objective, optimizeOptions);
    await study.flush();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await storage.close();
  }
  const ran = Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ') || 'no trials';
  log(`tunelab worker ${process.pid}: ${ran} in study '${study.name}' (${storage.url})${totalTrials ? `, study total ${totalTrials}` : ''}`);
  return signalled === undefined ? 0 : 128 + (signalled === 'SIGINT' ? 2 : 15);
}

/** Checks the option combination before anything is opened. */
export function checkWorkerOptions(options: WorkerOptions): void {
  if (options.workers !== undefined && options.workers > 0 && !/\.(m|c)?js$/.test(options.objective)) {
    throw new InvalidOptionError(`--objective ${options.objective}: worker threads load the objective by path; give a .js, .mjs or .cjs file`);
  }
}
