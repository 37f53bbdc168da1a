import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidDistributionError, InvalidOptionError, RandomSampler, TPESampler, createStudy } from '../../src/index.js';
import type { Sampler } from '../../src/search/sampler.js';
import { requireOrSkip } from '../helpers/require.js';

// Issue 14, "messages that should name the thing and the fix" (the data-side ones; the truncated
// .csv.gz is in csv-misreads.test.ts).

describe('addTrial with a value of the wrong type', () => {
  it.each([
    [{ value: '1' }, /value must be a number, got string '1'/],
    [{ value: true }, /value must be a number, got boolean true/],
    [{ value: null }, /value must be a number, got null/],
    [{ values: [1, '2'] }, /values\[1\] must be a number, got string '2'/],
  ])('%j says what was given and what is expected', async (spec, message) => {
    const study = await createStudy('values' in spec ? { storage: 'memory:', directions: ['minimize', 'minimize'] } : { storage: 'memory:' });
    const error = await study.addTrial({ params: {}, ...spec } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(message);
    expect(study.trials).toHaveLength(0);
  });

  it('a non-finite number is still refused as such', async () => {
    const study = await createStudy({ storage: 'memory:' });
    await expect(study.addTrial({ params: {}, value: NaN })).rejects.toThrow(/value is NaN; objective values must be finite numbers/);
  });
});

describe('a range whose width overflows', () => {
  const samplers: readonly (readonly [string, () => Sampler])[] = [
    ['TPE', () => new TPESampler({ seed: 1, nStartupTrials: 2 })],
    ['Random', () => new RandomSampler({ seed: 1 })],
  ];

  it.each(samplers)('%s: refused when suggested, naming the parameter, before any trial is stored as finished', async (_name, make) => {
    const study = await createStudy({ storage: 'memory:', sampler: make() });
    for (const suggest of [
      (t: { suggestFloat: (n: string, l: number, h: number) => number }) => t.suggestFloat('x', -1e308, 1e308),
      (t: { suggestInt: (n: string, l: number, h: number) => number }) => t.suggestInt('x', -1e308, 1e308),
    ]) {
      const trial = await study.ask();
      let error: unknown;
      try {
        suggest(trial as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidDistributionError);
      expect((error as Error).message).toMatch(/parameter 'x': the range \[-1e\+308, 1e\+308\] is wider than the largest number.*narrow it/);
      await study.tell(trial, 'FAIL');
    }
  });

  it.each(samplers)('%s: a wide range that fits samples finite values inside it, not its bounds', async (_name, make) => {
    const study = await createStudy({ storage: 'memory:', sampler: make() });
    await study.optimize((t) => t.suggestFloat('x', -8e307, 8e307) / 1e307, { nTrials: 12 });
    const xs = study.trials.map((t) => t.params['x'] as number);
    expect(study.trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(xs.every((x) => Number.isFinite(x) && x >= -8e307 && x <= 8e307)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(6);
  });
});

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const noCli = existsSync(CLI) ? undefined : 'dist/ is not built: run `npm run build`';

function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

describe.skipIf(requireOrSkip(noCli))(`tunelab with an unknown command ${noCli ?? ''}`, () => {
  it('says unknown command and lists the commands', async () => {
    const { code, stdout, stderr } = await runCli(['bogus-cmd']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tunelab: unknown command 'bogus-cmd'/);
    expect(stderr).toMatch(/\n {2}demo +tune five model families/);
    expect(stderr).toMatch(/\n {2}worker +join a study/);
    expect(stderr).not.toContain("too many arguments for 'demo'");
  });

  it('still runs a known command and its help', async () => {
    const { code, stdout } = await runCli(['worker', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--study <name>/);
  });
});
