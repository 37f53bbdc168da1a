// `node dist/bench/generate-data.js <path> <rows> [seed]`: writes a synthetic OHLCV CSV (see generateOhlcv).
import { generateOhlcv } from '../data/generate-ohlcv.js';

const [path, rowsText, seedText] = process.argv.slice(2);
const rows = Number(rowsText);
if (path === undefined || !Number.isInteger(rows) || rows < 0) {
  console.error('usage: node dist/bench/generate-data.js <path> <rows> [seed]   e.g. /tmp/ohlcv.csv 1000000 1');
  process.exit(2);
}
const t0 = performance.now();
const { bytes } = await generateOhlcv(path, { rows, seed: seedText === undefined ? 1 : Number(seedText) });
console.log(`wrote ${rows.toLocaleString('en-US')} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB to ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
