import type { Study } from './study.js';

export interface InterruptWatch {
  /** Aborted, with reason 'interrupted', on the user's signal, study.stop() or SIGINT. */
  readonly signal: AbortSignal;
  /** Interrupts the run from inside (an error in the run loop). */
  abort(): void;
  /** Stops watching; if the interrupt was a SIGINT nobody else handles, delivers it again. */
  dispose(): void;
}

/**
 * Turns the three ways to interrupt a run into one signal. SIGINT (Ctrl-C, or a notebook's
 * interrupt) is caught for the run's duration so running trials end as FAIL "interrupted";
 * when no other handler was listening (a plain script), it is raised again afterwards so the
 * process still ends as the user asked.
 */
export function watchInterrupts(study: Study, userSignal: AbortSignal | undefined): InterruptWatch {
  const controller = new AbortController();
  const abort = (): void => {
    if (!controller.signal.aborted) controller.abort('interrupted');
  };
  let sigint = false;
  const othersListen = process.listenerCount('SIGINT') > 0;
  const onSigint = (): void => {
    sigint = true;
    abort();
  };
  process.on('SIGINT', onSigint);
  if (userSignal?.aborted) abort();
  userSignal?.addEventListener('abort', abort);
  // study.stop() only sets a flag; it may come from a callback or any other code on this thread.
  const poll = setInterval(() => {
    if (study.stopRequested) abort();
  }, 25);
  poll.unref();
  return {
    signal: controller.signal,
    abort,
    dispose: () => {
      clearInterval(poll);
      userSignal?.removeEventListener('abort', abort);
      process.off('SIGINT', onSigint);
      if (sigint && !othersListen) process.kill(process.pid, 'SIGINT');
    },
  };
}
