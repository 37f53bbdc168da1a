// The script a child process runs for `executor: 'process'`: trials arrive over IPC, one at a time.
import type { TaskContext, TaskResult, WorkerSetup } from './messages.js';
import { pipeNotifyStarted, pipeSyncCall } from './process-line.js';
import { exitWithParent, parentGone } from './orphan-guard.js';
import { WorkerRuntime } from './worker-core.js';

export type ToChild = { readonly type: 'setup'; readonly setup: WorkerSetup } | { readonly type: 'trial'; readonly number: number; readonly context?: TaskContext | undefined };
export type FromChild = { readonly type: 'result'; readonly result: TaskResult };

let runtime: WorkerRuntime | undefined;
const call = pipeSyncCall();
exitWithParent();

process.on('message', (message: ToChild) => {
  if (message.type === 'setup') {
    runtime = new WorkerRuntime(message.setup, process.pid).warm();
    return;
  }
  if (!runtime) throw new Error('trial before setup');
  void runtime.runTrial(message.number, call, pipeNotifyStarted, message.context).then((result) => {
    const reply: FromChild = { type: 'result', result };
    // A parent gone since the trial began: nobody to send to (and no stack trace on EPIPE).
    if (!process.connected) parentGone();
    process.send?.(reply, (error: Error | null) => {
      if (error) parentGone();
    });
  });
});
