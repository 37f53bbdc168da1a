import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import { refuseRenamedOptions } from '../util/renamed-options.js';
import { InvalidOptionError } from '../errors.js';
import { registerResource } from '../util/resources.js';
import { tensorStats } from '../tf/engine-stats.js';
import { processMemory, type ProcessMemory } from './system-stats.js';


/** What a worker reports about itself (sent by the worker pool). */
export interface WorkerMemory {
  readonly heapUsedMiB: number;
  readonly heapLimitMiB?: number;
  readonly tensors?: number;
  readonly tensorMiB?: number;
}

export interface MemorySample extends ProcessMemory {
  /** ms since epoch */
  readonly t: number;
  readonly tensors: number | undefined;
  readonly tensorMiB: number | undefined;
  readonly workers: Readonly<Record<string, WorkerMemory>>;
}

export interface MemoryAlert {
  readonly kind: 'heap' | 'rss' | 'system' | 'worker';
  readonly message: string;
  readonly sample: MemorySample;
  /** The worker holding the most heap, when the alert is about workers or recycling is on. */
  readonly workerId?: string;
}

export interface MemoryMonitorOptions {
  /** Sampling interval. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Samples kept for plot.memory (oldest dropped). Default 600. */
  readonly maxSamples?: number;
  /** Alert when the main heap passes this share of its limit, or a worker's heap of its limit. Default 85. */
  readonly alertAtPercent?: number;
  /** Alert when the process RSS passes this many MiB. */
  readonly maxRssMiB?: number;
  /** Alert when a worker's heap passes this many MiB. */
  readonly maxWorkerHeapMiB?: number;
  /** While an alert lasts, `paused` is true: runners start no new trial. Default true. */
  readonly pause?: boolean;
  /** On an alert, emit 'recycle' with the worker holding the most heap. Default true. */
  readonly recycle?: boolean;
  /** Print a visible warning on each alert. Default true. */
  readonly warn?: boolean;
}

/**
 * Samples process, system, worker and TF.js memory at an interval into a bounded timeline,
 * raises alerts when thresholds are passed, and can pause new trials or ask for a worker recycle.
 * Events: 'sample' (MemorySample), 'alert' (MemoryAlert), 'recovered' (MemorySample), 'recycle' (workerId).
 */
export class MemoryMonitor extends EventEmitter {
  readonly intervalMs: number;
  readonly #maxSamples: number;
  readonly #alertAt: number;
  readonly #maxRssMiB: number | undefined;
  readonly #maxWorkerHeapMiB: number | undefined;
  readonly #pause: boolean;
  readonly #recycle: boolean;
  readonly #warn: boolean;
  readonly #timeline: MemorySample[] = [];
  readonly #workers = new Map<string, WorkerMemory>();
  #timer: NodeJS.Timeout | undefined;
  #alerting = false;
  #unregister: (() => void) | undefined;
  #alerts = 0;

  constructor(options: MemoryMonitorOptions = {}) {
    super();
    refuseRenamedOptions('MemoryMonitor', options);
    const { intervalMs = 1000, maxSamples = 600, alertAtPercent = 85 } = options;
    for (const key of ['maxRssMiB', 'maxWorkerHeapMiB'] as const) {
      const v = options[key];
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new InvalidOptionError(`MemoryMonitor({ ${key} }): expected a number of MiB > 0, got ${String(v)}`);
    }
    if (!(Number.isFinite(intervalMs) && intervalMs >= 10)) throw new InvalidOptionError(`MemoryMonitor({ intervalMs }): expected at least 10 ms, got ${intervalMs}`);
    if (!(Number.isInteger(maxSamples) && maxSamples > 0)) throw new InvalidOptionError(`MemoryMonitor({ maxSamples }): expected a whole number > 0, got ${maxSamples}`);
    if (!(alertAtPercent > 0 && alertAtPercent <= 100)) throw new InvalidOptionError(`MemoryMonitor({ alertAtPercent }): expected a percentage in (0, 100], got ${alertAtPercent}`);
    this.intervalMs = intervalMs;
    this.#maxSamples = maxSamples;
    this.#alertAt = alertAtPercent;
    this.#maxRssMiB = options.maxRssMiB;
    this.#maxWorkerHeapMiB = options.maxWorkerHeapMiB;
    this.#pause = options.pause ?? true;
    this.#recycle = options.recycle ?? true;
    this.#warn = options.warn ?? true;
  }

  start(): this {
    if (this.#timer) return this;
    this.sample();
    this.#timer = setInterval(() => this.sample(), this.intervalMs);
    // A monitor must never be the reason a script or kernel cannot exit.
    this.#timer.unref();
    this.#unregister = registerResource({ kind: 'monitor', name: `MemoryMonitor(${this.intervalMs} ms)`, close: () => this.stop(), stats: () => this.latest });
    return this;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unregister?.();
    this.#unregister = undefined;
  }

  /** `using monitor = new MemoryMonitor().start()` stops it at the end of the block. */
  [Symbol.dispose](): void {
    this.stop();
  }

  /** The same for `await using`, beside the other resources of a block. */
  [Symbol.asyncDispose](): Promise<void> {
    this.stop();
    return Promise.resolve();
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** True while memory is over a threshold and pausing is on: start no new trial. */
  get paused(): boolean {
    return this.#pause && this.#alerting;
  }

  get alertCount(): number {
    return this.#alerts;
  }

  get latest(): MemorySample | undefined {
    return this.#timeline[this.#timeline.length - 1];
  }

  /** The samples kept so far, oldest first. */
  timeline(): readonly MemorySample[] {
    return this.#timeline.slice();
  }

  /** A worker's own figures (the pool forwards them). */
  reportWorker(id: string, memory: WorkerMemory): void {
    this.#workers.set(id, memory);
  }

  forgetWorker(id: string): void {
    this.#workers.delete(id);
  }

  /** Takes one sample now (also what the timer does), checks thresholds and returns it. */
  sample(): MemorySample {
    const tf = tensorStats();
    const s: MemorySample = {
      t: Date.now(),
      ...processMemory(),
      tensors: tf?.numTensors,
      tensorMiB: tf === undefined ? undefined : tf.numBytes / (1024 * 1024),
      workers: Object.fromEntries(this.#workers),
    };
    this.#timeline.push(s);
    if (this.#timeline.length > this.#maxSamples) this.#timeline.splice(0, this.#timeline.length - this.#maxSamples);
    this.emit('sample', s);
    this.#check(s);
    return s;
  }

  #check(s: MemorySample): void {
    const alert = this.#findAlert(s);
    if (alert && !this.#alerting) {
      this.#alerting = true;
      this.#alerts++;
      if (this.#warn) process.emitWarning(`tunelab: ${alert.message}`, { code: 'TUNELAB_MEMORY' });
      this.emit('alert', alert);
      if (this.#recycle && alert.workerId !== undefined) this.emit('recycle', alert.workerId);
    } else if (!alert && this.#alerting && this.#belowHysteresis(s)) {
      this.#alerting = false;
      this.emit('recovered', s);
    }
  }

  #findAlert(s: MemorySample): MemoryAlert | undefined {
    const heapPercent = (100 * s.heapUsedMiB) / s.heapLimitMiB;
    const heaviest = this.#heaviestWorker(s);
    const base = heaviest === undefined ? {} : { workerId: heaviest[0] };
    if (heapPercent >= this.#alertAt) {
      return { kind: 'heap', sample: s, ...base, message: `heap at ${heapPercent.toFixed(0)}% of its ${s.heapLimitMiB.toFixed(0)} MiB limit (alert at ${this.#alertAt}%)` };
    }
    if (this.#maxRssMiB !== undefined && s.rssMiB >= this.#maxRssMiB) {
      return { kind: 'rss', sample: s, ...base, message: `process memory (RSS) ${s.rssMiB.toFixed(0)} MiB passed ${this.#maxRssMiB} MiB` };
    }
    for (const [id, w] of Object.entries(s.workers)) {
      const overLimit = w.heapLimitMiB !== undefined && (100 * w.heapUsedMiB) / w.heapLimitMiB >= this.#alertAt;
      const overMax = this.#maxWorkerHeapMiB !== undefined && w.heapUsedMiB >= this.#maxWorkerHeapMiB;
      if (overLimit || overMax) {
        return { kind: 'worker', sample: s, workerId: id, message: `worker ${id} heap ${w.heapUsedMiB.toFixed(0)} MiB passed its threshold` };
      }
    }
    if ((100 * (s.systemTotalMiB - s.systemFreeMiB)) / s.systemTotalMiB >= Math.max(this.#alertAt, 95)) {
      return { kind: 'system', sample: s, ...base, message: `system memory ${(s.systemTotalMiB - s.systemFreeMiB).toFixed(0)} of ${s.systemTotalMiB.toFixed(0)} MiB in use` };
    }
    return undefined;
  }

  // Recover only 10% below the threshold, so memory hovering at it does not flap pause/resume.
  #belowHysteresis(s: MemorySample): boolean {
    const heapPercent = (100 * s.heapUsedMiB) / s.heapLimitMiB;
    return heapPercent < this.#alertAt * 0.9 && (this.#maxRssMiB === undefined || s.rssMiB < this.#maxRssMiB * 0.9);
  }

  #heaviestWorker(s: MemorySample): [string, WorkerMemory] | undefined {
    let best: [string, WorkerMemory] | undefined;
    for (const entry of Object.entries(s.workers)) if (!best || entry[1].heapUsedMiB > best[1].heapUsedMiB) best = entry;
    return best;
  }

  [inspect.custom](): string {
    const s = this.latest;
    if (!s) return `MemoryMonitor(${this.running ? 'running' : 'stopped'}, no samples)`;
    return `MemoryMonitor(${this.running ? 'running' : 'stopped'}, ${this.#timeline.length} samples, rss ${s.rssMiB.toFixed(0)} MiB, heap ${s.heapUsedMiB.toFixed(0)}/${s.heapLimitMiB.toFixed(0)} MiB${s.tensors !== undefined ? `, ${s.tensors} tensors` : ''}, ${Object.keys(s.workers).length} workers${this.#alerting ? ', ALERT' : ''})`;
  }
}
