import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// tunelab's DataFrames come from its own build of danfojs (dist/vendor/danfojs, made by
// scripts/build-danfojs.mjs after tsup). Tests that run from src/ without a full build still load
// that same file: build it (under a second) when it is missing.
export default function setup(): void {
  if (existsSync('dist/vendor/danfojs/index.js')) return;
  execFileSync(process.execPath, ['scripts/build-danfojs.mjs', '--js-only'], { stdio: 'inherit' });
}
