import { describe, expect, it } from 'vitest';
import { createStudy, MemoryMonitor, RandomSampler } from '../../src/index.js';
import { BUILT_IN_FAMILIES } from '../../src/models/families/registry.js';
import type { ModelData, ModelPart } from '../../src/models/model-data.js';
import { MODEL_DATA_KEY } from '../../src/models/model-objective.js';
import { builtFile } from '../../src/parallel/locate.js';
import { Rng } from '../../src/util/rng.js';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

/** A noisy sine windowed into shared-memory parts, as data.windows would give. */
function sineData(samples = 200, lookback = 12): ModelData {
  const rng = new Rng(5);
  const series = Array.from({ length: samples + lookback + 1 }, (_, t) => Math.sin(t / 4) + 0.05 * rng.normal());
  const make = (from: number, count: number): ModelPart => {
    const inputs = new Float32Array(new SharedArrayBuffer(count * lookback * 4));
    const targets = new Float32Array(new SharedArrayBuffer(count * 4));
    for (let s = 0; s < count; s++) {
      for (let k = 0; k < lookback; k++) inputs[s * lookback + k] = series[from + s + k] as number;
      targets[s] = series[from + s + lookback] as number;
    }
    return { count, inputs, targets };
  };
  return { lookback, features: 1, horizon: 1, train: make(0, 140), val: make(140, 30), test: make(170, 30) };
}

const data = { [MODEL_DATA_KEY]: sineData() };

describe.skipIf(requireOrSkip(DIST_PROBLEM))('model trials in worker threads', () => {
  it.each(BUILT_IN_FAMILIES)('%s: a trial in a worker leaves no tensor behind', async (family) => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize(builtFile('models/model-objective.js'), {
      nTrials: 2,
      workers: 1,
      data,
      context: { family, epochs: 2, patience: 2, seed: 1 },
      progress: false,
    });
    for (const t of study.trials) {
      expect(t.state, String(t.systemAttrs['failReason'])).toBe('COMPLETE');
      expect(t.systemAttrs['leakedTensors']).toBeUndefined();
      expect(t.userAttrs['leakedTensors']).toBeUndefined();
      expect(t.userAttrs['backend']).toBe('wasm');
    }
  });

  it("a worker's heap does not grow trial after trial (20 trials, one worker), and the monitor sees it", async () => {
    const monitor = new MemoryMonitor({ warn: false });
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(builtFile('models/model-objective.js'), {
      nTrials: 20,
      workers: 1,
      data,
      context: { family: 'mlp', epochs: 2, patience: 2, seed: 1 },
      progress: false,
      memory: monitor,
    });
    const heaps = study.trials.map((t) => t.systemAttrs['workerHeapMiB'] as number);
    expect(heaps.every((h) => h > 0)).toBe(true);
    expect(new Set(study.trials.map((t) => t.systemAttrs['worker'])).size).toBe(1);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    // GC makes single readings noisy; a leak of models or tensors would climb steadily.
    const early = mean(heaps.slice(2, 7));
    const late = mean(heaps.slice(-5));
    expect(late - early).toBeLessThan(15);
    const reported = Object.values(monitor.sample().workers);
    expect(reported).toHaveLength(1);
    expect(reported[0]!.heapUsedMiB).toBeGreaterThan(0);
    expect(reported[0]!.tensors).toBe(0);
  }, 120_000);
});
