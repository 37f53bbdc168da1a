import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { data, tune, shutdown, EvalCache } from '../../src/index.js';

const BTC = fileURLToPath(new URL('../../datasets/btc-usd-1d.csv', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'tunelab-tune-cache-'));

afterAll(async () => {
  await shutdown();
  rmSync(root, { recursive: true, force: true });
});

/** Same shape and search space, different data: only the validation share differs. */
function btcWindows(val: number) {
  return data.windows(data.csv(BTC), {
    target: 'close',
    features: ['close', 'volume'],
    lookback: 8,
    horizon: 1,
    transform: 'logReturn',
    scale: 'zscore',
    split: { val, test: 0.15 },
  });
}

async function cachedTrials(ds: Awaited<ReturnType<typeof btcWindows>>, name: string): Promise<number> {
  const result = await tune(ds).models(['linear']).trials(3).epochs(1).seed(3).storage('memory:').cache({ dir: join(root, 'cache') }).progress(false).name(name).run();
  return result.rows[0]!.cached;
}

describe('tune() with the evaluation cache', () => {
  it('replays trials on the same dataset and never on another one with the same search space', async () => {
    const a = await btcWindows(0.15);
    const b = await btcWindows(0.2);
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(await cachedTrials(a, 'cache-a1')).toBe(0);
    expect(await cachedTrials(a, 'cache-a2')).toBe(3);
    expect(await cachedTrials(b, 'cache-b')).toBe(0);
  }, 120_000);

  it('memoizes the test metrics of the best configuration, so a replayed run does not train it again', async () => {
    const ds = await btcWindows(0.15);
    const cache = new EvalCache({ dir: join(root, 'metrics-cache') });
    const run = (name: string) => tune(ds).models(['mlp']).trials(2).epochs(1).seed(5).storage('memory:').cache(cache).progress(false).name(name).run();
    const first = await run('metrics-1');
    // Two trials and one scored best configuration.
    expect((await cache.keys('')).length).toBe(3);
    const misses = cache.stats().misses;
    const second = await run('metrics-2');
    expect(second.rows[0]!.cached).toBe(2);
    expect(cache.stats().misses).toBe(misses);
    expect(second.rows[0]!.test).toEqual(first.rows[0]!.test);
    expect(second.rows[0]!.backend).toBe(first.rows[0]!.backend);
    await cache.close();
  }, 120_000);
});
