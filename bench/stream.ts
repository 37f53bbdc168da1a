/**
 * bench/stream: stream a ~1 GB OHLCV CSV computing sum and count of `close` and a 20-row rolling
 * mean of `close` carried across chunks, three ways, each in its own child process under
 * /usr/bin/time -v (wall seconds include process start-up; peak RSS is the kernel's maxrss):
 *   - pandas 1.5 (Debian python3-pandas): read_csv(chunksize=100_000), the reference;
 *   - tunelab typed-column path: data.csv(...).rolling(20, 'mean').columns(), also under --max-old-space-size=96;
 *   - tunelab DataFrame path: the same source iterated as one danfojs DataFrame per chunk.
 * Usage: node dist/bench/stream.js [--rows 16000000] [--file /tmp/tunelab-bench/ohlcv-16000000.csv]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data } from '../src/index.js';

const CHUNK_ROWS = 100_000;
const WINDOW = 20;

interface CaseResult {
  rows: number;
  sum: number;
  rollCount: number;
  rollSum: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

// ---- child cases ---------------------------------------------------------------------------
async function typedCase(file: string): Promise<CaseResult> {
  const src = data.csv(file, { chunkRows: CHUNK_ROWS }).rolling(WINDOW, 'mean', { columns: ['close'], suffix: '_r20' });
  const r: CaseResult = { rows: 0, sum: 0, rollCount: 0, rollSum: 0 };
  for await (const chunk of src.columns()) {
    const close = chunk.columns['close'] as Float64Array;
    const roll = chunk.columns['close_r20'] as Float64Array;
    r.rows += chunk.rowCount;
    for (let i = 0; i < chunk.rowCount; i++) {
      r.sum += close[i] as number;
      const m = roll[i] as number;
      if (!Number.isNaN(m)) {
        r.rollCount++;
        r.rollSum += m;
      }
    }
  }
  return r;
}

async function dataFrameCase(file: string): Promise<CaseResult> {
  const src = data.csv(file, { chunkRows: CHUNK_ROWS }).rolling(WINDOW, 'mean', { columns: ['close'], suffix: '_r20' });
  const r: CaseResult = { rows: 0, sum: 0, rollCount: 0, rollSum: 0 };
  for await (const df of src) {
    // Column values of the danfojs frame (plain arrays; danfojs' own Series.sum() costs 40-60 ms a chunk).
    const close = df.column('close').values as number[];
    const roll = df.column('close_r20').values as number[];
    r.rows += df.shape[0] as number;
    for (let i = 0; i < close.length; i++) {
      r.sum += close[i] as number;
      const m = roll[i] as number;
      if (!Number.isNaN(m)) {
        r.rollCount++;
        r.rollSum += m;
      }
    }
  }
  return r;
}

const PANDAS = `
import sys, json, pandas as pd, numpy as np
rows = 0; total = 0.0; rc = 0; rs = 0.0; tail = np.empty(0)
for ch in pd.read_csv(sys.argv[1], chunksize=${CHUNK_ROWS}):
    c = ch['close'].to_numpy()
    rows += len(c); total += float(c.sum())
    both = np.concatenate([tail, c])
    m = pd.Series(both).rolling(${WINDOW}).mean().to_numpy()[len(tail):]
    ok = ~np.isnan(m); rc += int(ok.sum()); rs += float(m[ok].sum())
    tail = both[-${WINDOW - 1}:]
print(json.dumps({"rows": rows, "sum": total, "rollCount": rc, "rollSum": rs}))
`;

// ---- parent --------------------------------------------------------------------------------
interface Measured {
  label: string;
  seconds: number;
  rssMb: number;
  result: CaseResult;
  load: string;
}

function timed(label: string, cmd: string, args: string[]): Measured {
  const before = loadavg()[0] ?? 0;
  const out = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`${label} failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
  const field = (re: RegExp): string => re.exec(out.stderr)?.[1] ?? 'NaN';
  const wall = field(/Elapsed \(wall clock\) time.*: ([\d:.]+)/)
    .split(':')
    .reduce((acc, part) => acc * 60 + Number(part), 0);
  const rssKb = Number(field(/Maximum resident set size \(kbytes\): (\d+)/));
  const jsonLine = out.stdout.trim().split('\n').pop() ?? '{}';
  const after = loadavg()[0] ?? 0;
  return { label, seconds: wall, rssMb: rssKb / 1024, result: JSON.parse(jsonLine) as CaseResult, load: `${before.toFixed(1)}→${after.toFixed(1)}` };
}

async function ensureFile(file: string, rows: number): Promise<number> {
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { rows: number; bytes: number };
    if (m.rows === rows && statSync(file).size === m.bytes) return m.bytes;
  }
  mkdirSync(dirname(file), { recursive: true });
  console.error(`generating ${rows.toLocaleString('en-US')} rows into ${file} (once; reused afterwards)...`);
  const t0 = performance.now();
  const { bytes } = await data.generateOhlcv(file, { rows, seed: 1 });
  writeFileSync(meta, JSON.stringify({ rows, seed: 1, bytes }));
  console.error(`generated ${(bytes / 2 ** 20).toFixed(1)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return bytes;
}

async function main(): Promise<void> {
  const mode = arg('case', '');
  const file = arg('file', '');
  if (mode === 'typed' || mode === 'dataframe') {
    const r = mode === 'typed' ? await typedCase(file) : await dataFrameCase(file);
    console.log(JSON.stringify(r));
    return;
  }
  const rows = Number(arg('rows', '16000000'));
  const path = file === '' ? `/tmp/tunelab-bench/ohlcv-${rows}.csv` : file;
  const bytes = await ensureFile(path, rows);
  const mb = bytes / 2 ** 20;
  const self = fileURLToPath(import.meta.url);
  const pandasVersion = execFileSync('/usr/bin/python3', ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' }).trim();
  const runs: Measured[] = [
    timed(`pandas ${pandasVersion} read_csv(chunksize=100_000)`, '/usr/bin/python3', ['-c', PANDAS, path]),
    timed('tunelab typed columns (columns())', process.execPath, [self, '--case', 'typed', '--file', path]),
    timed('tunelab typed columns, --max-old-space-size=96', process.execPath, ['--max-old-space-size=96', self, '--case', 'typed', '--file', path]),
    timed('tunelab DataFrame per chunk (for await df)', process.execPath, [self, '--case', 'dataframe', '--file', path]),
  ];
  const pandas = runs[0] as Measured;
  const goals = ['reference', '≥ pandas MB/s, RSS < 150 MB', 'finishes, RSS < 150 MB', '≥ 25 MB/s, RSS < 300 MB'];
  const met = (i: number, m: Measured): string => {
    const mbs = mb / m.seconds;
    if (i === 0) return '';
    if (i === 1) return mbs >= mb / pandas.seconds && m.rssMb < 150 ? 'yes' : 'no';
    if (i === 2) return m.rssMb < 150 ? 'yes' : 'no';
    return mbs >= 25 && m.rssMb < 300 ? 'yes' : 'no';
  };
  console.log(`\nbench/stream: ${rows.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MiB, chunks of ${CHUNK_ROWS.toLocaleString('en-US')}, sum+count of close and rolling(${WINDOW}) mean carried across chunks; Node ${process.version}\n`);
  console.log('| path | seconds | MB/s | peak RSS MB | throughput vs pandas | RSS vs pandas | goal | met | load avg (1 min) before→after |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |');
  runs.forEach((m, i) => {
    const mbs = mb / m.seconds;
    console.log(
      `| ${m.label} | ${m.seconds.toFixed(2)} | ${mbs.toFixed(1)} | ${m.rssMb.toFixed(0)} | ${(pandas.seconds / m.seconds).toFixed(2)}× | ${(m.rssMb / pandas.rssMb).toFixed(2)}× | ${goals[i]} | ${met(i, m)} | ${m.load} |`,
    );
  });
  console.log('\nchecks (every path must agree):');
  for (const m of runs) {
    const r = m.result;
    console.log(`- ${m.label}: rows ${r.rows}, sum(close) ${r.sum.toFixed(2)}, rolling count ${r.rollCount}, mean of rolling means ${(r.rollSum / r.rollCount).toFixed(6)}`);
  }
  const ok = runs.every((m) => m.result.rows === rows && m.result.rollCount === rows - WINDOW + 1 && Math.abs(m.result.sum / pandas.result.sum - 1) < 1e-12 && Math.abs(m.result.rollSum / pandas.result.rollSum - 1) < 1e-9);
  console.log(ok ? '- all agree (rows exact, sums to 1e-12, rolling to 1e-9 relative)' : '- MISMATCH between paths');
  if (!ok) process.exitCode = 1;
}

await main();
