import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { data, EvalCache, registerModelFamily, shutdown, tune } from '../../src/index.js';
import { getModelFamily } from '../../src/models/families/registry.js';

// Issue 14 item 4, through tune(): a model family redefined under the same name (a notebook cell
// edited and run again) gets no result computed with its old definition.

const BTC = fileURLToPath(new URL('../../datasets/btc-usd-1d.csv', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'tunelab-cache-family-'));
afterAll(async () => {
  await shutdown();
  rmSync(root, { recursive: true, force: true });
});

it('a redefined custom family is not answered from the cache; the same definition is', async () => {
  const ds = await data.windows(data.csv(BTC), { target: 'close', features: ['close'], lookback: 6, horizon: 1, transform: 'logReturn', scale: 'zscore', split: { val: 0.15, test: 0.15 } });
  const linear = getModelFamily('linear');
  const cache = new EvalCache({ dir: false });
  const run = async (name: string): Promise<number> => {
    const result = await tune(ds).models(['fault-family']).trials(2).epochs(1).seed(3).storage('memory:').cache(cache).progress(false).name(name).run();
    return result.rows[0]!.cached;
  };
  const first = { ...linear, name: 'fault-family', build: (...args: Parameters<typeof linear.build>) => linear.build(...args) };
  registerModelFamily(first);
  expect(await run('family-1')).toBe(0);
  // Same name and space, another build: e.g. a layer added in the cell.
  registerModelFamily({ ...first, build: (...args: Parameters<typeof linear.build>) => linear.build(args[0], args[1], args[2], args[3], args[4] + 1) });
  expect(await run('family-2')).toBe(0);
  registerModelFamily(first);
  expect(await run('family-3')).toBe(2);
  await cache.close();
}, 120_000);
