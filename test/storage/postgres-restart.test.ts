import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchemaName, postgresUnavailable, sql, urlFor } from './postgres-helpers.js';

// Restarts the real server under a running worker: only where we may (root, Debian cluster tools).
const CLI = resolve('dist/cli/main.js');
const version = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort().at(-1) : undefined;
const canRestart =
  process.getuid?.() !== 0
    ? 'not running as root, so the PostgreSQL cluster cannot be restarted'
    : version === undefined || spawnSync('pg_lsclusters', ['-h']).status !== 0
      ? 'no Debian PostgreSQL cluster (pg_lsclusters) to restart'
      : undefined;
const skip = (await postgresUnavailable()) ?? canRestart ?? (existsSync(CLI) ? undefined : `${CLI} is missing; run npx tsup first`);
if (skip) console.warn(`skipping the PostgreSQL restart test: ${skip}`);

const schema = freshSchemaName();
const dir = mkdtempSync(join(tmpdir(), 'tunelab-restart-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropSchema(schema).catch(() => undefined);
});

async function count(state: string): Promise<number> {
  const rows = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".trials WHERE state = $1`, [state]).catch(() => [{ n: 0 }]);
  return rows[0]?.n ?? 0;
}

describe.skipIf(skip !== undefined)('PostgreSQL restarting in the middle of a study', () => {
  it('the worker retries with backoff, goes on, and loses no finished trial', async () => {
    writeFileSync(join(dir, 'objective.mjs'), `export default async (t) => { const x = t.suggestFloat('x', -1, 1); await new Promise((r) => setTimeout(r, 50)); return x * x; };\n`);
    const child = spawn(process.execPath, [CLI, 'worker', '--study', 'restart', '--storage', urlFor(schema), '--objective', join(dir, 'objective.mjs'), '--trials', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const deadline = Date.now() + 30_000;
    while ((await count('COMPLETE')) < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const before = await count('COMPLETE');
    expect(before).toBeGreaterThanOrEqual(10);
    // The restart must land mid-study, not after the worker is done.
    expect(before).toBeLessThan(50);
    const restart = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version as string, 'main', 'restart', '-m', 'fast'], { encoding: 'utf8' });
    expect(restart.status, restart.stderr).toBe(0);
    expect(await exited, out).toBe(0);
    const rows = await sql<{ number: number; state: string }>(`SELECT number, state::text AS state FROM "${schema}".trials ORDER BY number`);
    expect(rows.map((r) => r.number)).toEqual(rows.map((_, i) => i));
    expect(rows.filter((r) => r.state === 'COMPLETE')).toHaveLength(60);
    expect(rows.filter((r) => r.state === 'RUNNING' || r.state === 'WAITING')).toEqual([]);
  }, 120_000);
});
