import { getHeapStatistics } from 'node:v8';

const MB = 1024 * 1024;
// V8 reserves three semi-spaces of 16 MB for the young generation on 64-bit builds and counts
// them in heap_size_limit; long-lived data can only fill the old generation, which is what runs
// out (with --max-old-space-size=64, heap_size_limit says 112 MB and the process dies near 64 MB).
const YOUNG_GENERATION_RESERVE_MB = 48;

/** The heap a process can actually fill with live data, in MB. */
export function heapLimitMiB(): number {
  const limit = getHeapStatistics().heap_size_limit / MB;
  return limit > 2 * YOUNG_GENERATION_RESERVE_MB ? limit - YOUNG_GENERATION_RESERVE_MB : limit;
}
