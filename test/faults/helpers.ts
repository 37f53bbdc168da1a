import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The worktree root: children run there so that they resolve the project's node_modules. */
export const ROOT = join(import.meta.dirname, '../..');

export interface NodeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an ES module script text in a fresh node process (`process.argv[1..]` = args), with a hard time limit. */
export function runNode(script: string, args: readonly string[] = [], timeoutMs = 30_000): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Whether another process can open a LevelDB directory right now: 'opened', or the error code it got. */
export async function otherProcessOpens(dir: string): Promise<string> {
  const script = `
    const { Level } = await import('level');
    const db = new Level(process.argv[1]);
    try { await db.open({ createIfMissing: false }); await db.close(); console.log('opened'); }
    catch (e) { console.log(e.cause?.code ?? e.code ?? e.message); }`;
  const r = await runNode(script, [dir], 20_000);
  return r.stdout.trim() || `no answer (exit ${r.code}): ${r.stderr.slice(0, 300)}`;
}
