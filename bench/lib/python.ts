import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Python (not a pyenv shim on PATH), where `apt-get install python3-optuna` puts Optuna. */
export const PYTHON = '/usr/bin/python3';

/** Optuna's version under Debian's Python, or undefined with the reason it is unusable. */
export function optunaVersion(): { version?: string; reason?: string } {
  if (!existsSync(PYTHON)) return { reason: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return { reason: 'python3-optuna is not installed (apt-get install -y python3-optuna)' };
  return { version: r.stdout.trim() };
}

/** Runs a Python script (stdin) and resolves with its stdout; rejects with stderr on failure. `env` adds variables (PYTHONPATH). */
export function runPython(script: string, env: Readonly<Record<string, string>> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`python exited with ${code}: ${err.slice(-2000)}`))));
    child.stdin.end(script);
  });
}
