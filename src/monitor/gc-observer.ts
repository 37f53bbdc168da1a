import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

export type GcKind = 'minor' | 'major' | 'incremental' | 'weakcb' | 'other';

export interface GcKindStats {
  readonly count: number;
  readonly totalPauseMs: number;
  readonly maxPauseMs: number;
}

export interface GcStats {
  readonly count: number;
  readonly totalPauseMs: number;
  readonly byKind: Readonly<Record<GcKind, GcKindStats>>;
  /** Since when these figures were collected (ms since epoch). */
  readonly since: number;
}

function kindOf(entry: PerformanceEntry): GcKind {
  const kind = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } }).detail?.kind;
  switch (kind) {
    case constants.NODE_PERFORMANCE_GC_MINOR:
      return 'minor';
    case constants.NODE_PERFORMANCE_GC_MAJOR:
      return 'major';
    case constants.NODE_PERFORMANCE_GC_INCREMENTAL:
      return 'incremental';
    case constants.NODE_PERFORMANCE_GC_WEAKCB:
      return 'weakcb';
    default:
      return 'other';
  }
}

/**
 * Garbage-collection counts and pauses by kind, from the runtime's own 'gc' performance entries.
 * Needs no --expose-gc. (The system this replaces crashed adding an int to a dict of these.)
 */
export class GcObserver {
  readonly #stats: Record<GcKind, { count: number; totalPauseMs: number; maxPauseMs: number }> = {
    minor: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
    major: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
    incremental: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
    weakcb: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
    other: { count: 0, totalPauseMs: 0, maxPauseMs: 0 },
  };
  #observer: PerformanceObserver | undefined;
  #since = Date.now();

  start(): this {
    if (this.#observer) return this;
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const s = this.#stats[kindOf(entry)];
        s.count++;
        s.totalPauseMs += entry.duration;
        if (entry.duration > s.maxPauseMs) s.maxPauseMs = entry.duration;
      }
    });
    this.#observer.observe({ entryTypes: ['gc'] });
    return this;
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  get running(): boolean {
    return this.#observer !== undefined;
  }

  reset(): void {
    for (const s of Object.values(this.#stats)) {
      s.count = 0;
      s.totalPauseMs = 0;
      s.maxPauseMs = 0;
    }
    this.#since = Date.now();
  }

  stats(): GcStats {
    const byKind = {} as Record<GcKind, GcKindStats>;
    let count = 0;
    let totalPauseMs = 0;
    for (const [kind, s] of Object.entries(this.#stats) as Array<[GcKind, GcKindStats]>) {
      byKind[kind] = { ...s };
      count += s.count;
      totalPauseMs += s.totalPauseMs;
    }
    return { count, totalPauseMs, byKind, since: this.#since };
  }
}

let processObserver: GcObserver | undefined;

/** The process-wide observer systemStats() reads; started on first use. */
export function processGcObserver(): GcObserver {
  processObserver ??= new GcObserver().start();
  return processObserver;
}
