import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';

export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs Debian's Python with `args` and `input` on stdin. The reference tests call it with scripts whose
 * answers depend only on the script and its input, so under mutation testing (stryker.config.mjs sets
 * TUNELAB_PYTHON_MEMO to a folder) an answer is kept by a hash of both and read back on the next mutant:
 * starting Python with scipy or Optuna costs 0.3–1.5 s, paid once per script instead of once per mutant.
 * A mutant that changes what the test sends to Python changes the hash, and Python runs again.
 */
export function runPython(args: readonly string[], input?: string): PythonRun {
  const memo = process.env['TUNELAB_PYTHON_MEMO'];
  const file = memo === undefined || memo === '' ? undefined : join(memo, `${createHash('sha256').update(JSON.stringify([args, input ?? null])).digest('hex')}.json`);
  if (file !== undefined && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as PythonRun;
  const r = spawnSync(PYTHON, [...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  const run: PythonRun = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
  if (file !== undefined && memo !== undefined && r.error === undefined) {
    mkdirSync(memo, { recursive: true });
    // Written whole then renamed, so a runner killed mid-write never leaves half an answer for the next one.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(run));
    renameSync(partial, file);
  }
  return run;
}

/** Undefined when `import <modules>` works, else why not (with the Debian package that fixes it). */
export function pythonCannotImport(modules: string, fix: string): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  return runPython(['-c', `import ${modules}`]).status === 0 ? undefined : `${PYTHON} cannot import ${modules} (${fix})`;
}

/** Runs a script on stdin that prints one JSON document, and parses it; throws with Python's stderr if it fails. */
export function pythonJson<T>(script: string): T {
  const r = runPython(['-'], script);
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
