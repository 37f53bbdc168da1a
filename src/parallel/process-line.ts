import { readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { STARTED, type TrialCall, type TrialReply } from './messages.js';
import { parentGone } from './orphan-guard.js';
import type { SyncCall } from './remote-trial.js';

/** The child's ends of its trial line: it writes calls to one pipe and reads replies from the other. */
export const CALL_FD = 4;
export const REPLY_FD = 5;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function pause(): void {
  Atomics.wait(sleeper, 0, 0, 1);
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as { code?: string }).code;
      // The main process is gone (SIGKILLed): this child has nobody to serve.
      if (code === 'EPIPE') parentGone();
      if (code !== 'EAGAIN') throw error;
      pause();
    }
  }
}

/**
 * Child side of a synchronous call across processes: one JSON line out, then a blocking
 * fs.readSync on the reply pipe until a whole line is back. No shared memory crosses
 * processes, so the pipe itself is what blocks; EAGAIN (a non-blocking pipe) is retried.
 */
/** Tells the main process, without waiting for a reply, that the objective starts now. */
export function pipeNotifyStarted(): void {
  writeAll(CALL_FD, `${JSON.stringify(STARTED)}\n`);
}

export function pipeSyncCall(): SyncCall {
  const buffer = Buffer.alloc(64 * 1024);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  return (call: TrialCall): TrialReply => {
    writeAll(CALL_FD, `${JSON.stringify(call)}\n`);
    for (;;) {
      const newline = pending.indexOf('\n');
      if (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        return JSON.parse(line) as TrialReply;
      }
      let n: number;
      try {
        n = readSync(REPLY_FD, buffer, 0, buffer.length, null);
      } catch (error) {
        if ((error as { code?: string }).code !== 'EAGAIN') throw error;
        pause();
        continue;
      }
      // End of file: the main process is gone.
      if (n === 0) parentGone();
      pending += decoder.write(buffer.subarray(0, n));
    }
  };
}
