import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, createStudy } from '../../src/index.js';
import { parsePostgresUrl } from '../../src/storage/postgres/url.js';
import { redactUrl } from '../../src/util/redact.js';
import { tempDir } from '../data/helpers.js';
import { requireOrSkip } from '../helpers/require.js';

// Issue 14 item 10: no password reaches a message, whatever characters it holds. Every secret
// below contains "pw7", so one search finds any leaked piece of it (before or after a '/').

/** URLs that parse: the password is kept for the connection but never shown. */
const VALID: readonly (readonly [string, string])[] = [
  ['postgres://ann:pw7plain@127.0.0.1:1/db?retry=0', 'pw7plain'],
  ['postgresql://ann:pw7plain@127.0.0.1:1/db?retry=0', 'pw7plain'],
  ['postgres://ann:pw7%2Fenc@127.0.0.1:1/db?retry=0', 'pw7/enc'],
  ['postgres://ann:pw7a@pw7b@127.0.0.1:1/db?retry=0', 'pw7a@pw7b'],
  ['postgres://:pw7nouser@127.0.0.1:1/db?retry=0', 'pw7nouser'],
  ['postgres://ann:pw7v6@[::1]:1/db?retry=0', 'pw7v6'],
  ['postgres://ann:pw7%3Fq%23h@127.0.0.1:1/db?retry=0&schema=lab', 'pw7?q#h'],
  ['postgres://ann:pw7:colon@localhost:1/db?retry=0', 'pw7:colon'],
  ['postgres://ann:pw7sp%20ace@localhost:1?retry=0', 'pw7sp ace'],
];

/** URLs that must be refused, each with what the message must say. */
const INVALID: readonly (readonly [string, RegExp])[] = [
  ['postgres://ann:pw7a/pw7b@127.0.0.1:1/db', /not a valid URL.*percent-encode/],
  ['postgres://ann:12/pw7b@127.0.0.1:1/db', /'@' after the host part.*percent-encode/],
  ['postgres://ann:pw7a?pw7b@127.0.0.1/db', /not a valid URL/],
  ['postgres://ann:pw7a#pw7b@127.0.0.1/db', /not a valid URL/],
  ['postgres://ann:1?pw7b@127.0.0.1/db', /'@' after the host part/],
  ['postgres://ann:1#pw7b@127.0.0.1/db', /'@' after the host part/],
  ['postgres:ann:pw7a@127.0.0.1/db', /not a valid URL; expected postgres:\/\//],
  ['postgres://ann:pw7a@127.0.0.1:99999/db', /not a valid URL/],
  ['postgres://ann:pw7 a/pw7b@host/db', /not a valid URL/],
  ['postgres://ann:pw7a%zz@127.0.0.1/db', /'%' that is not followed by two hex digits/],
  ['postgres://ann:pw7a@127.0.0.1/db?grace=x', /\?grace=x is not a number of seconds >= 0\.1; e\.g\. \?grace=30/],
  ['postgres://ann:pw7a@127.0.0.1/db?hartbeat=3', /unknown setting \?hartbeat=/],
  ['postgres://ann:pw7a/@127.0.0.1/db?heartbeat=10&grace=5', /not a valid URL/],
];

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('redactUrl', () => {
  it('removes everything between :// and the last @', () => {
    expect(redactUrl('postgres://u:a/b?c#d@e@host:5/db?x=1')).toBe('postgres://***@host:5/db?x=1');
    expect(redactUrl('postgres:u:pw@host/db')).toBe('postgres:***@host/db');
    expect(redactUrl('level:.tunelab')).toBe('level:.tunelab');
    expect(redactUrl('postgres://host/db')).toBe('postgres://host/db');
  });
});

describe('PostgreSQL URLs never show their password', () => {
  it(`covers ${VALID.length + INVALID.length} URL shapes`, () => {
    expect(VALID.length + INVALID.length).toBeGreaterThanOrEqual(20);
  });

  it.each(VALID)('%s parses, keeps the password for the connection, shows none of it', (url, password) => {
    const settings = parsePostgresUrl(url, {});
    expect(settings.pool.password).toBe(password);
    expect(settings.publicUrl).not.toContain('pw7');
    expect(settings.pool.database ?? '').not.toContain('pw7');
    const { pool: _pool, secret: _secret, ...visible } = settings;
    expect(inspect(visible, { depth: 10 })).not.toContain('pw7');
  });

  it.each(INVALID)('%s is refused, saying why and how to fix it, with no piece of the password', (url, why) => {
    const error = thrown(() => parsePostgresUrl(url, {}));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(why);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('pw7');
  });

  it.each(INVALID)('createStudy with %s rejects with no piece of the password', async (url) => {
    const error = await createStudy({ name: 'x', storage: url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('pw7');
  });

  it('an unknown scheme is named without its password', async () => {
    const error = await createStudy({ name: 'x', storage: 'mysql://ann:pw7a/pw7b@host/db' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toContain("storage 'mysql://***@host/db'");
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain('pw7');
  });
});

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const noCli = existsSync(CLI) ? undefined : 'dist/ is not built: run `npm run build`';

function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PGPASSWORD: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(requireOrSkip(noCli))(`tunelab worker's stderr ${noCli ?? ''}`, () => {
  const dir = tempDir('faults-url');
  const objective = join(dir, 'objective.mjs');
  writeFileSync(objective, 'export default (trial) => trial.suggestFloat("x", 0, 1);\n');

  it.each(INVALID.slice(0, 8))('%s: a one-line error, exit code 2, no piece of the password', async (url) => {
    const { code, stdout, stderr } = await runCli(['worker', '--study', 's', '--storage', url, '--objective', objective, '--trials', '1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tunelab: storage URL/);
    expect(stderr + stdout).not.toContain('pw7');
  });
});
