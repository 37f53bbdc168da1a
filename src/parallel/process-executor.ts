import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { LocalTrial } from '../study/local-trial.js';
import type { Executor, TaskEnd } from './executor.js';
import type { LineMessage, TaskContext, WorkerSetup } from './messages.js';
import { workerScript } from './locate.js';
import type { ResourceLimits } from './thread-executor.js';
import { answerCall } from './trial-server.js';
import type { FromChild, ToChild } from './worker-process.js';

/** One child process and the trial it is serving, if any. */
class Child {
  readonly process: ChildProcess;
  trial: LocalTrial | undefined;
  started: (() => void) | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(setup: WorkerSetup, resourceLimits: ResourceLimits | undefined) {
    const execArgv: string[] = [];
    if (resourceLimits?.maxOldGenerationSizeMb !== undefined) execArgv.push(`--max-old-space-size=${resourceLimits.maxOldGenerationSizeMb}`);
    if (resourceLimits?.maxYoungGenerationSizeMb !== undefined) execArgv.push(`--max-semi-space-size=${Math.max(1, Math.round(resourceLimits.maxYoungGenerationSizeMb / 3))}`);
    this.process = fork(workerScript('worker-process'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe', 'pipe'],
      serialization: 'advanced',
      execArgv,
      cwd: setup.cwd,
    });
    this.exited = once(this.process, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    const stdio = this.process.stdio as unknown as readonly (Readable | Writable | null)[];
    const calls = stdio[4] as Readable;
    const replies = stdio[5] as Writable;
    let pending = '';
    calls.setEncoding('utf8');
    calls.on('data', (chunk: string) => {
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const call = JSON.parse(pending.slice(0, nl)) as LineMessage;
        pending = pending.slice(nl + 1);
        if (call.method === 'started') {
          this.started?.();
          continue;
        }
        const reply = this.trial
          ? answerCall(this.trial, call)
          : { ok: false as const, error: { name: 'Error', message: 'no trial is running in this process' } };
        replies.write(`${JSON.stringify(reply)}\n`);
      }
    });
    // A killed child closes its pipes; writes racing with that must not crash the main process.
    replies.on('error', () => {});
    calls.on('error', () => {});
    const message: ToChild = { type: 'setup', setup: { ...setup, data: unshare(setup.data) as Record<string, unknown> } };
    this.process.send(message);
  }

  kill(): Promise<unknown> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    return this.exited;
  }
}

/**
 * `executor: 'process'`: each worker is a child process (full isolation; the way to use
 * tfjs-node, which fails in a second worker thread — tfjs issue #8388). Trials go over IPC;
 * the objective's synchronous calls use two extra pipes (see process-line.ts). Datasets are
 * copied into each child once: shared memory does not cross processes.
 */
export class ProcessExecutor implements Executor {
  readonly #setup: WorkerSetup;
  readonly #limits: ResourceLimits | undefined;
  readonly #idle: Child[] = [];
  readonly #all = new Set<Child>();

  constructor(setup: WorkerSetup, workers: number, resourceLimits: ResourceLimits | undefined) {
    this.#setup = setup;
    this.#limits = resourceLimits;
    for (let i = 0; i < workers; i++) this.#idle.push(this.#spawn());
  }

  #spawn(): Child {
    const child = new Child(this.#setup, this.#limits);
    this.#all.add(child);
    void child.exited.then(() => {
      this.#all.delete(child);
      const i = this.#idle.indexOf(child);
      if (i >= 0) this.#idle.splice(i, 1);
    });
    return child;
  }

  async run(trial: LocalTrial, signal: AbortSignal, started: () => void, context?: TaskContext): Promise<TaskEnd> {
    const child = this.#idle.pop() ?? this.#spawn();
    child.trial = trial;
    child.started = started;
    const onAbort = (): void => void child.kill();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const message: ToChild = { type: 'trial', number: trial.number, context };
      child.process.send(message);
      const ended = await Promise.race([
        once(child.process, 'message').then(([m]) => ({ kind: 'message' as const, message: m as FromChild })),
        child.exited.then((exit) => ({ kind: 'exit' as const, exit })),
      ]);
      if (ended.kind === 'exit' || signal.aborted) {
        await child.kill();
        if (signal.aborted) return { kind: 'lost', reason: String(signal.reason) };
        const { code, signal: by } = (ended as { exit: { code: number | null; signal: NodeJS.Signals | null } }).exit;
        const outOfMemory = this.#limits?.maxOldGenerationSizeMb !== undefined && (by === 'SIGABRT' || code === 134);
        const how = by ? `signal ${by}` : `code ${code}`;
        return { kind: 'lost', reason: outOfMemory ? `heap limit: the child process ran out of memory (exited with ${how}; resourceLimits)` : `worker crashed: the child process exited with ${how}` };
      }
      const { result } = ended.message;
      child.trial = undefined;
      if (result.recycle) void child.kill();
      else this.#idle.push(child);
      return { kind: 'done', result };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#all].map((c) => c.kill()));
    this.#idle.length = 0;
  }
}

/** Copies typed arrays off SharedArrayBuffer: shared memory cannot be sent to another process. */
function unshare(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    if (!(value.buffer instanceof SharedArrayBuffer)) return value;
    const Ctor = value.constructor as new (source: ArrayBufferView) => ArrayBufferView;
    return value instanceof DataView ? new DataView(new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice().buffer) : new Ctor(value);
  }
  if (value instanceof SharedArrayBuffer) return new Uint8Array(value).slice().buffer;
  if (Array.isArray(value)) return value.map(unshare);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unshare(v)]));
  }
  return value;
}
