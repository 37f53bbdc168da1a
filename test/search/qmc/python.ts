import { pythonCannotImport, runPython } from '../../helpers/python.js';

// Reference numbers from Debian's Python with numpy and scipy, computed while the tests run.

/** Why numpy/scipy are unavailable, or undefined when they are there. */
export const scipyMissing = pythonCannotImport('numpy, scipy.stats.qmc, scipy.linalg', 'apt-get install -y python3-scipy');
if (scipyMissing) console.warn(`[numeric reference tests] skipping: ${scipyMissing}`);

/** Runs a Python script that prints one JSON document, and parses it. */
export function python<T>(script: string): T {
  const r = runPython(['-'], `import json, math, warnings\nwarnings.simplefilter("ignore")\nimport numpy as np\n${script}`);
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
