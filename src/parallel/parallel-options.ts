import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../errors.js';
import { refuseRenamedOptions } from '../util/renamed-options.js';
import type { OptimizeOptions } from '../study/optimize-options.js';

/** 'auto' is the machine's cores: one trial per core. */
export function resolveWorkerCount(workers: number | 'auto'): number {
  return workers === 'auto' ? Math.max(1, availableParallelism()) : workers;
}

function positive(name: string, value: unknown, integer: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value))) {
    throw new InvalidOptionError(`optimize({ ${name} }): expected ${integer ? 'a whole number' : 'a number'} > 0, got ${String(value)}`);
  }
}

/** The options only workers use, checked before any worker starts. */
export function validateParallelOptions(options: OptimizeOptions<unknown>): void {
  const { recycle, resourceLimits, context, data } = options;
  if (recycle !== undefined) {
    if (recycle === null || typeof recycle !== 'object') throw new InvalidOptionError('optimize({ recycle }): expected { afterTrials?, maxHeapMiB? }');
    refuseRenamedOptions('optimize({ recycle })', recycle);
    for (const key of Object.keys(recycle)) {
      if (key !== 'afterTrials' && key !== 'maxHeapMiB') throw new InvalidOptionError(`optimize({ recycle }): unknown key '${key}'; expected afterTrials or maxHeapMiB`);
    }
    positive('recycle.afterTrials', recycle.afterTrials, true);
    positive('recycle.maxHeapMiB', recycle.maxHeapMiB, false);
  }
  if (resourceLimits !== undefined) {
    if (resourceLimits === null || typeof resourceLimits !== 'object') throw new InvalidOptionError('optimize({ resourceLimits }): expected { maxOldGenerationSizeMb?, maxYoungGenerationSizeMb? }');
    for (const key of Object.keys(resourceLimits)) {
      if (key !== 'maxOldGenerationSizeMb' && key !== 'maxYoungGenerationSizeMb') {
        throw new InvalidOptionError(`optimize({ resourceLimits }): unknown key '${key}'; expected maxOldGenerationSizeMb or maxYoungGenerationSizeMb`);
      }
    }
    positive('resourceLimits.maxOldGenerationSizeMb', resourceLimits.maxOldGenerationSizeMb, false);
    positive('resourceLimits.maxYoungGenerationSizeMb', resourceLimits.maxYoungGenerationSizeMb, false);
  }
  if (data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data))) {
    throw new InvalidOptionError('optimize({ data }): expected a record of datasets, e.g. { train: { x, y } } with typed arrays on SharedArrayBuffer');
  }
  for (const [name, value] of [['context', context], ['data', data]] as const) {
    try {
      // Workers get a structured clone; what cannot be cloned must fail here, not in a worker.
      structuredClone(value);
    } catch (error) {
      throw new InvalidOptionError(`optimize({ ${name} }): ${(error as Error).message}; workers receive a structured clone, so pass plain values, arrays and typed arrays (no functions or class instances)`);
    }
  }
}
