import { Worker } from 'node:worker_threads';

/**
 * Ends this child process when the process that forked it goes away, even one SIGKILLed with no
 * chance to kill its children. Three signs, as each is seen at a different moment: the IPC channel
 * closing ('disconnect', seen when the event loop turns), the trial line reaching end of file
 * (seen by a trial call), and — for an objective spinning in a synchronous loop, which sees
 * neither — a watchdog thread that notices the parent pid change (the orphan is re-parented).
 */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
  const parent = process.ppid;
  const watchdog = new Worker(
    `setInterval(() => { if (process.ppid !== ${parent}) process.kill(${process.pid}, 'SIGKILL'); }, 250);`,
    { eval: true, stdout: false, stderr: false, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } },
  );
  watchdog.unref();
  watchdog.on('error', () => {});
}

/** The parent is gone: no one is left to tell the trial's result to. */
export function parentGone(): never {
  process.exit(0);
}
