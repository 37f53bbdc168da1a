// Per-trial storage cost (ask + tell through a Study, trivial objective, RandomSampler) and the
// time to load a 10,000-trial study, for memory: and LevelDB (with its default backups on), beside
// Optuna's sqlite figures from ../shared/anchors/optuna.md and, when /usr/bin/python3 has optuna,
// Optuna measured live in the same run on sqlite and journal storage.
//   node dist/bench/storage.js [--python-trials N (default 500, as in the anchors)] [--no-python]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStudy, InMemoryStorage, LevelStorage, loadStudy, RandomSampler, type Storage } from '../src/index.js';

const args = process.argv.slice(2);
const trialsFlag = args.indexOf('--python-trials');
const pythonTrials = trialsFlag >= 0 ? Number(args[trialsFlag + 1]) : 500;
const noPython = args.includes('--no-python');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Row {
  readonly storage: string;
  readonly trials: number;
  readonly meanMs: number | undefined;
  readonly last100Ms: number | undefined;
  readonly loadS: number | undefined;
  readonly source: string;
}

async function askTell(storage: Storage, n: number): Promise<{ meanMs: number; last100Ms: number }> {
  const study = await createStudy({ name: `bench-${n}`, storage, sampler: new RandomSampler({ seed: 0 }) });
  const times = new Float64Array(n);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const trial = await study.ask();
    const x = trial.suggestFloat('x', -10, 10);
    await study.tell(trial, x * x);
    times[i] = performance.now() - t0;
  }
  const total = performance.now() - start;
  await storage.checkpoint?.(study.studyId);
  let last = 0;
  for (let i = n - 100; i < n; i++) last += times[i] as number;
  return { meanMs: total / n, last100Ms: last / 100 };
}

async function measureMemory(rows: Row[]): Promise<void> {
  for (const n of [1000, 10_000]) {
    const storage = new InMemoryStorage();
    const r = await askTell(storage, n);
    let loadS: number | undefined;
    if (n === 10_000) {
      const t0 = performance.now();
      const s = await loadStudy(`bench-${n}`, storage);
      if (s.trials.length !== n) throw new Error('memory: wrong trial count after load');
      loadS = (performance.now() - t0) / 1000;
    }
    rows.push({ storage: 'tunelab memory:', trials: n, ...r, loadS, source: 'this run' });
  }
}

async function measureLevel(rows: Row[]): Promise<void> {
  for (const n of [1000, 10_000]) {
    const dir = await mkdtemp(join(tmpdir(), 'tunelab-bench-'));
    try {
      const storage = await LevelStorage.open(dir);
      const r = await askTell(storage, n);
      await storage.close();
      let loadS: number | undefined;
      if (n === 10_000) {
        // From a closed directory, as a new notebook kernel would: open LevelDB, then loadStudy.
        const t0 = performance.now();
        const reopened = await LevelStorage.open(dir);
        const s = await loadStudy(`bench-${n}`, reopened);
        loadS = (performance.now() - t0) / 1000;
        if (s.trials.length !== n) throw new Error('level: wrong trial count after load');
        await reopened.close();
      }
      rows.push({ storage: 'tunelab level: (backups every 100, keep 5)', trials: n, ...r, loadS, source: 'this run' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** The "On sqlite RDB storage" table of the Optuna anchor file, if present. */
function anchorRows(rows: Row[]): string {
  const file = join(root, '..', 'shared', 'anchors', 'optuna.md');
  if (!existsSync(file)) return `(no Optuna anchors: ${file} is absent)`;
  const text = readFileSync(file, 'utf8');
  const section = text.slice(text.indexOf('On sqlite RDB storage'));
  for (const line of section.split('\n').slice(1)) {
    const m = /^\|\s*([^|]+?)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|$/.exec(line);
    if (m) {
      const trials = Number(/\/(\d+)$/.exec(m[1] as string)?.[1]);
      rows.push({ storage: `Optuna 3.1 sqlite, ${m[1]}`, trials, meanMs: 1000 / Number(m[2]), last100Ms: Number(m[3]), loadS: undefined, source: 'anchors/optuna.md (TPE/random sampling included)' });
    } else if (rows.some((r) => r.source.startsWith('anchors')) && !line.startsWith('|')) break;
  }
  return `anchors: ${file}`;
}

const PY = `
import json, sys, tempfile, time, os, warnings
warnings.simplefilter("ignore")
import optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
kind, n = sys.argv[1], int(sys.argv[2])
d = tempfile.mkdtemp()
def make():
    if kind == "sqlite":
        return "sqlite:///" + os.path.join(d, "b.db")
    return optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(os.path.join(d, "j.log")))
study = optuna.create_study(storage=make(), study_name="b", sampler=optuna.samplers.RandomSampler(seed=0))
times = []
t0 = time.perf_counter()
for i in range(n):
    s = time.perf_counter()
    trial = study.ask()
    x = trial.suggest_float("x", -10, 10)
    study.tell(trial, x * x)
    times.append(time.perf_counter() - s)
total = time.perf_counter() - t0
t1 = time.perf_counter()
loaded = optuna.load_study(study_name="b", storage=make())
count = len(loaded.trials)
load = time.perf_counter() - t1
print(json.dumps({"mean_ms": total / n * 1000, "last100_ms": sum(times[-100:]) / 100 * 1000, "load_s": load, "count": count}))
`;

function measurePython(rows: Row[]): string {
  if (noPython) return 'live Optuna: skipped (--no-python)';
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import optuna'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'live Optuna: skipped (/usr/bin/python3 has no optuna; apt-get install -y python3-optuna)';
  for (const kind of ['sqlite', 'journal']) {
    const r = spawnSync('/usr/bin/python3', ['-c', PY, kind, String(pythonTrials)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      rows.push({ storage: `Optuna live ${kind}`, trials: pythonTrials, meanMs: undefined, last100Ms: undefined, loadS: undefined, source: `failed: ${r.stderr.trim().split('\n').pop() ?? ''}` });
      continue;
    }
    const m = JSON.parse(r.stdout) as { mean_ms: number; last100_ms: number; load_s: number; count: number };
    rows.push({ storage: `Optuna 3.1 live, ${kind}${kind === 'journal' ? ' (JournalFileStorage)' : ''}`, trials: pythonTrials, meanMs: m.mean_ms, last100Ms: m.last100_ms, loadS: m.load_s, source: `this run, /usr/bin/python3 (load = load_study + ${m.count} trials)` });
  }
  return `live Optuna: ${pythonTrials} trials each (Optuna is too slow on these storages for 10,000 in one bench run)`;
}

const fmt = (v: number | undefined, digits: number): string => (v === undefined ? '—' : v.toFixed(digits));

async function main(): Promise<void> {
  const rows: Row[] = [];
  await measureMemory(rows);
  await measureLevel(rows);
  const notes = [anchorRows(rows), measurePython(rows)];
  console.log('## Storage cost: ask + tell per trial (trivial objective, RandomSampler), and loading a study\n');
  console.log('| storage | trials | ms per trial (mean) | ms per trial (last 100) | load study (s) | source |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.storage} | ${r.trials} | ${fmt(r.meanMs, 3)} | ${fmt(r.last100Ms, 3)} | ${fmt(r.loadS, 3)} | ${r.source} |`);
  const level10k = rows.find((r) => r.storage.startsWith('tunelab level') && r.trials === 10_000);
  console.log(
    `\nGoals (LevelDB, 10,000 trials): under 1 ms per trial — ${level10k && (level10k.meanMs as number) < 1 ? 'met' : 'NOT met'} (${fmt(level10k?.meanMs, 3)} ms); load under 1 s — ${level10k && (level10k.loadS as number) < 1 ? 'met' : 'NOT met'} (${fmt(level10k?.loadS, 3)} s).`,
  );
  console.log(`Load: memory = loadStudy on the open store; LevelDB = open the closed directory + loadStudy. Node ${process.version}.`);
  for (const n of notes) console.log(n);
}

await main();
