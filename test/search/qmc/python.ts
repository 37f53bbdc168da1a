import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// Reference numbers from Debian's Python with numpy and scipy, computed while the tests run.
const PYTHON = '/usr/bin/python3';

function probe(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import numpy, scipy.stats.qmc, scipy.linalg'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'numpy / scipy are not installed (apt-get install -y python3-scipy)';
}

/** Why numpy/scipy are unavailable, or undefined when they are there. */
export const scipyMissing = probe();
if (scipyMissing) console.warn(`[numeric reference tests] skipping: ${scipyMissing}`);

/** Runs a Python script that prints one JSON document, and parses it. */
export function python<T>(script: string): T {
  const r = spawnSync(PYTHON, ['-'], { input: `import json, math, warnings\nwarnings.simplefilter("ignore")\nimport numpy as np\n${script}`, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
