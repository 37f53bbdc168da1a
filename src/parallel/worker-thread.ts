// The script piscina runs in each worker thread: one task = one trial.
import { threadId, workerData } from 'node:worker_threads';
import { STARTED, type TaskContext, type TaskResult, type WorkerSetup } from './messages.js';
import { threadSyncCall, type ThreadLine } from './thread-channel.js';
import { WorkerRuntime } from './worker-core.js';

export interface ThreadTask {
  readonly number: number;
  readonly line: ThreadLine;
  readonly context?: TaskContext | undefined;
}

const runtime = new WorkerRuntime(workerData as WorkerSetup, threadId).warm();

export default async function runTrial(task: ThreadTask): Promise<TaskResult> {
  let ended = false;
  try {
    return await runtime.runTrial(task.number, threadSyncCall(task.line, () => ended), () => task.line.port.postMessage(STARTED), task.context);
  } finally {
    ended = true;
    task.line.port.close();
  }
}
