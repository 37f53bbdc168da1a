import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { LocalTrial } from '../study/local-trial.js';
import type { LineMessage, TrialReply } from './messages.js';
import type { SyncCall } from './remote-trial.js';
import { answerCall } from './trial-server.js';

/**
 * One trial's synchronous line between a worker and the main thread: a MessagePort for the data
 * and a shared Int32 the main thread flips after posting a reply, so the worker can sleep in
 * Atomics.wait (the objective's suggest* calls must return a value synchronously) and then take
 * the reply with receiveMessageOnPort. The main thread only awaits, so its event loop answers.
 */
export interface ThreadLine {
  readonly port: MessagePort;
  readonly flag: Int32Array;
}

/** Main side: opens a line for one trial and answers its calls until closed. */
export function openThreadLine(trial: LocalTrial, started: () => void): { readonly remote: ThreadLine; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  port1.on('message', (call: LineMessage) => {
    if (call.method === 'started') {
      started();
      return;
    }
    port1.postMessage(answerCall(trial, call));
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
  return {
    remote: { port: port2, flag },
    close: () => port1.close(),
  };
}

/**
 * Worker side: a blocking call over the line. After `ended()` (the objective returned), a call
 * from code it left running throws instead of waiting forever for a reply that cannot come.
 */
export function threadSyncCall(line: ThreadLine, ended: () => boolean): SyncCall {
  return (call) => {
    if (ended()) throw new Error(`trial.${call.method}() was called after the objective returned; await everything the objective starts`);
    Atomics.store(line.flag, 0, 0);
    line.port.postMessage(call);
    for (;;) {
      const received = receiveMessageOnPort(line.port);
      if (received) return received.message as TrialReply;
      // The reply is posted before the flag flips; the timeout only guards a missed wake-up.
      Atomics.wait(line.flag, 0, 0, 100);
    }
  };
}
