import { execFileSync, spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Why the Optuna-interop tests cannot run here, or undefined when Debian's python3-optuna is present. */
export function optunaMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return `${PYTHON} cannot import optuna (apt-get install -y python3-optuna)`;
  return undefined;
}

/** Runs a Python script with Optuna's logging and experimental warnings quiet; returns its stdout parsed as JSON. */
export function runPython(script: string, args: readonly string[] = []): unknown {
  const prelude = 'import warnings, json, sys, math\nwarnings.simplefilter("ignore")\nimport optuna\noptuna.logging.set_verbosity(optuna.logging.ERROR)\n';
  const out = execFileSync(PYTHON, ['-c', prelude + script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}
