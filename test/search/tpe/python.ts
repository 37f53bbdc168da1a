import { pythonCannotImport, runPython } from '../../helpers/python.js';

// Reference numbers come from Debian's Python with scipy and Optuna, run while the tests run.

/** Why the Python reference is unavailable, or undefined when it is there. */
export const pythonMissing = pythonCannotImport('optuna, scipy', 'apt-get install -y python3-optuna python3-scipy');

/** Runs a Python script that prints one JSON document, and parses it. */
export function python<T>(script: string): T {
  const r = runPython(['-'], `import json, math, warnings\nwarnings.simplefilter("ignore")\n${script}`);
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Largest relative difference (absolute below `floor`). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(y), floor));
  }
  return worst;
}
