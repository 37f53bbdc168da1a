import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built package, as a child process imports it (npm test builds it first). */
export const DIST_ENTRY = join(ROOT, 'dist', 'index.js');

/** The most recently modified .ts file under `dir`, with its mtime. */
function newestSource(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory() ? newestSource(path) : entry.name.endsWith('.ts') ? { file: path, mtimeMs: statSync(path).mtimeMs } : newest;
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

/**
 * Why the tests that load dist/ (worker threads, child processes) cannot trust it, or undefined:
 * dist/ missing, or older than a source file, so those tests would check an old build and pass
 * on code that is no longer there.
 */
export function distProblem(): string | undefined {
  let built: number;
  try {
    built = statSync(DIST_ENTRY).mtimeMs;
  } catch {
    return 'dist/ is not built: run `npm run build` (npm test does it first)';
  }
  const newest = newestSource(join(ROOT, 'src'));
  if (newest.mtimeMs > built) return `dist/ is older than ${relative(ROOT, newest.file)}: run \`npm run build\` (npm test does it first)`;
  return undefined;
}

/** Checked once per test file. */
export const DIST_PROBLEM = distProblem();

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs an ES module script text in a fresh node process, with a hard time limit. */
export function runNodeScript(script: string, options: { readonly args?: readonly string[]; readonly timeoutMs?: number; readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.args ?? []), '--input-type=module', '-e', script], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
