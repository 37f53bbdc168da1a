import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../helpers/require.js';

// Restarts a PostgreSQL server under a running worker. The server is a private one, started
// for this test in a temporary directory: restarting the shared test server would break the
// other test files that use it at the same time.
const CLI = resolve('dist/cli/main.js');
const version = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().at(-1) : undefined;
const bin = version === undefined ? undefined : `/usr/lib/postgresql/${version}/bin`;
// PostgreSQL refuses to run as root: as root, the server runs as the postgres user.
const asRoot = process.getuid?.() === 0;
const skip =
  bin === undefined || !existsSync(join(bin, 'initdb'))
    ? 'no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) to start a private server with; install the postgresql package'
    : asRoot && spawnSync('id', ['postgres']).status !== 0
      ? 'running as root without a postgres user to run a private server as'
      : existsSync(CLI)
        ? undefined
        : `${CLI} is missing; run npx tsup first`;

const dir = mkdtempSync(join(tmpdir(), 'tunelab-restart-'));
const data = join(dir, 'pgdata');
let base = '';

function pgTool(tool: string, args: readonly string[]): SpawnSyncReturns<string> {
  const command = join(bin as string, tool);
  const options = { encoding: 'utf8' as const, cwd: dir, timeout: 60_000 };
  return asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], options) : spawnSync(command, args, options);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as { port: number };
  await new Promise((res) => server.close(res));
  return port;
}

async function count(state: string): Promise<number> {
  const client = new pg.Client({ connectionString: base });
  try {
    await client.connect();
    const result = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM restart.trials WHERE state = $1`, [state]);
    return result.rows[0]?.n ?? 0;
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

beforeAll(() => {
  if (skip) return;
  if (asRoot) {
    const postgres = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(postgres.stdout.trim()), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()));
    chmodSync(dir, 0o700);
  }
  const init = pgTool('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
}, 60_000);

afterAll(() => {
  if (!skip && existsSync(join(data, 'postmaster.pid'))) pgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(requireOrSkip(skip))('PostgreSQL restarting in the middle of a study', () => {
  it('the worker retries with backoff, goes on, and loses no finished trial', async () => {
    const port = await freePort();
    const start = pgTool('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'server.log'), '-w', 'start']);
    expect(start.status, start.stderr).toBe(0);
    base = `postgres://postgres@127.0.0.1:${port}/postgres`;
    writeFileSync(join(dir, 'objective.mjs'), `export default async (t) => { const x = t.suggestFloat('x', -1, 1); await new Promise((r) => setTimeout(r, 50)); return x * x; };\n`);
    if (asRoot) chmodSync(join(dir, 'objective.mjs'), 0o644);
    const child = spawn(process.execPath, [CLI, 'worker', '--study', 'restart', '--storage', `${base}?schema=restart`, '--objective', join(dir, 'objective.mjs'), '--trials', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const deadline = Date.now() + 30_000;
    while ((await count('COMPLETE')) < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const before = await count('COMPLETE');
    expect(before, out).toBeGreaterThanOrEqual(10);
    // The restart must land mid-study, not after the worker is done.
    expect(before).toBeLessThan(50);
    // pg_ctl restart keeps the server's options (postmaster.opts) but not its log file; without
    // -l the new server would hold this process's output pipe open.
    const restart = pgTool('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-m', 'fast', '-w', 'restart']);
    expect(restart.status, restart.stderr).toBe(0);
    expect(await exited, out).toBe(0);
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    const rows = (await client.query<{ number: number; state: string }>('SELECT number, state::text AS state FROM restart.trials ORDER BY number')).rows;
    await client.end();
    expect(rows.map((r) => r.number)).toEqual(rows.map((_, i) => i));
    expect(rows.filter((r) => r.state === 'COMPLETE')).toHaveLength(60);
    expect(rows.filter((r) => r.state === 'RUNNING' || r.state === 'WAITING')).toEqual([]);
  }, 120_000);
});
