#!/usr/bin/env node
// `npm run test:mutation [-- [--force] target ...]`: StrykerJS over each target of stryker.targets.mjs in turn (all
// when none is named), incremental, so a re-run only tests mutants whose code or tests changed.
// TUNELAB_MUTATION_CONCURRENCY=2 on a machine with cores to spare.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { targets } from '../stryker.targets.mjs';

// Flags (e.g. --force: a full run that ignores the incremental file) go to every Stryker run.
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
for (const name of asked) if (!(name in targets)) {
  console.error(`unknown mutation target '${name}'; targets: ${Object.keys(targets).join(', ')}`);
  process.exit(2);
}
const names = asked.length > 0 ? asked : Object.keys(targets);
const rows = [];
for (const name of names) {
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...flags], { stdio: 'inherit', env: { ...process.env, TUNELAB_MUTATION_TARGET: name } });
  if (run.status !== 0) { console.error(`stryker failed on ${name} (exit ${run.status})`); process.exit(run.status ?? 1); }
  rows.push([name, ...score(`reports/mutation/${name}.json`)]);
}
console.log('\ntarget                 score  killed  survived  timeout  no-cov  ignored');
for (const [name, s, k, sv, t, nc, ig] of rows) console.log(`${name.padEnd(22)} ${s.padStart(5)}  ${String(k).padStart(6)}  ${String(sv).padStart(8)}  ${String(t).padStart(7)}  ${String(nc).padStart(6)}  ${String(ig).padStart(7)}`);

/** Mutation score from Stryker's JSON report: (killed + timeout) / (all valid mutants); ignored ones are counted apart. */
function score(file) {
  if (!existsSync(file)) return ['?', 0, 0, 0, 0, 0];
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const c = { Killed: 0, Survived: 0, Timeout: 0, NoCoverage: 0, Ignored: 0 };
  for (const f of Object.values(report.files)) for (const m of f.mutants) if (m.status in c) c[m.status] += 1;
  const valid = c.Killed + c.Survived + c.Timeout + c.NoCoverage;
  return [valid === 0 ? '-' : `${((100 * (c.Killed + c.Timeout)) / valid).toFixed(1)}%`, c.Killed, c.Survived, c.Timeout, c.NoCoverage, c.Ignored];
}
