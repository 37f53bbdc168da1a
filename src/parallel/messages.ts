// Everything that crosses between the main thread and a worker: plain, structured-clone-safe data.
import type { TfBackendChoice } from '../tf/backend.js';

/** Which TF.js a worker prepares before its first trial (when the objective uses ctx.tf). */
export type { TfBackendChoice };

/** How a worker gets the objective: its source text, or a module whose default export it is. */
export type ObjectiveSpec =
  | { readonly kind: 'source'; readonly source: string; readonly usesTf: boolean }
  | { readonly kind: 'module'; readonly url: string };


/** Given to each worker once, when it starts. */
export interface WorkerSetup {
  readonly objective: ObjectiveSpec;
  readonly tfBackend: TfBackendChoice;
  /** Typed arrays on SharedArrayBuffer arrive shared (threads); anything else is copied. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly context: unknown;
  readonly recycle: { readonly afterTrials?: number | undefined; readonly maxHeapMiB?: number | undefined };
  /** The user's working directory: `require` in an inline objective resolves from there first. */
  readonly cwd: string;
}

/**
 * A context for one trial, in place of the setup's: workers shared by several studies (tune()'s
 * model families) run one objective with each study's own context. Boxed, as undefined is a value.
 */
export interface TaskContext {
  readonly value: unknown;
}

/** Sent (without a reply) when the objective starts: trialTimeout counts from here, not from worker start-up. */
export const STARTED = { method: 'started' } as const;
export type LineMessage = TrialCall | typeof STARTED;

/** A synchronous call from the worker's Trial to the study's LocalTrial on the main thread. */
export type TrialCall =
  | { readonly method: 'suggestFloat' | 'suggestInt'; readonly args: readonly [string, number, number, unknown] }
  | { readonly method: 'suggestCategorical'; readonly args: readonly [string, readonly unknown[]] }
  | { readonly method: 'report'; readonly args: readonly [number, number] }
  | { readonly method: 'shouldPrune'; readonly args: readonly [] }
  | { readonly method: 'setUserAttr'; readonly args: readonly [string, unknown] }
  | { readonly method: 'get'; readonly args: readonly ['params' | 'distributions' | 'userAttrs'] };

export type TrialReply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: RemoteError };

export interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly code?: string | undefined;
}

/** How a trial ended inside the worker (a crash, timeout or interrupt is decided on the main side). */
export type TrialOutcome =
  | { readonly kind: 'value'; readonly value: number | readonly number[] }
  | { readonly kind: 'pruned' }
  | { readonly kind: 'error'; readonly reason: string; readonly stack?: string | undefined; readonly undefinedVariable?: string | undefined }
  /** The worker could not rebuild the objective (bad module, no default export): every trial would fail so. */
  | { readonly kind: 'unloadable'; readonly reason: string };

export interface TaskResult {
  readonly outcome: TrialOutcome;
  /** Tensors the trial left allocated (0 when it cleaned up, or when TF.js was not used). */
  readonly leakedTensors: number;
  /** The worker asks to be replaced (recycle.afterTrials reached, or heap over recycle.maxHeapMiB). */
  readonly recycle: boolean;
  readonly workerId: number;
  /** The worker's own memory after the trial, for the MemoryMonitor and the trial's systemAttrs. */
  readonly heapUsedMiB: number;
  readonly heapLimitMiB: number;
  readonly tensors: number;
  readonly tensorMiB: number;
}
