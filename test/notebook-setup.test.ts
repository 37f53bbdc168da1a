import { spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';

// What a newcomer meets after `git clone` + `npm install`: the "prepare" script links
// notebooks/node_modules/tunelab so that tslab's type-check (node10 resolution, which ignores
// package.json "exports") finds the package from inside notebooks/.
const root = resolve(import.meta.dirname, '..');
const script = join(root, 'scripts', 'link-notebooks.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fake checkout: the link script at scripts/, an empty notebooks/ folder. */
function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tunelab-link-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'notebooks'));
  cpSync(script, join(dir, 'scripts', 'link-notebooks.mjs'));
  return dir;
}
const run = (dir: string) => spawnSync(process.execPath, [join(dir, 'scripts', 'link-notebooks.mjs')], { encoding: 'utf8' });

describe('notebook set-up by npm install', () => {
  it('package.json runs the build and the link in "prepare"', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as { scripts: Record<string, string> };
    expect(pkg.scripts['prepare']).toMatch(/tsup/);
    expect(pkg.scripts['prepare']).toMatch(/link-notebooks\.mjs/);
  });

  it('links notebooks/node_modules/tunelab to the checkout, idempotently, and repairs a stale link', () => {
    const dir = checkout();
    const link = join(dir, 'notebooks', 'node_modules', 'tunelab');
    expect(run(dir).status).toBe(0);
    expect(realpathSync(link)).toBe(realpathSync(dir));
    expect(readlinkSync(link)).toBe(join('..', '..'));
    expect(run(dir).status).toBe(0);
    expect(realpathSync(link)).toBe(realpathSync(dir));
    rmSync(link);
    symlinkSync(tmpdir(), link);
    expect(run(dir).status).toBe(0);
    expect(realpathSync(link)).toBe(realpathSync(dir));
  });

  it('leaves a real folder at the link path alone and says what to do', () => {
    const dir = checkout();
    const folder = join(dir, 'notebooks', 'node_modules', 'tunelab');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'keep.txt'), 'user data');
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is not a link; remove it/);
    expect(lstatSync(join(folder, 'keep.txt')).isFile()).toBe(true);
  });

  it("this checkout's notebooks resolve 'tunelab' with node10 resolution, as tslab type-checks cells", () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const options: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10 };
    const found = ts.resolveModuleName('tunelab', join(root, 'notebooks', '__cell.ts'), options, ts.sys).resolvedModule;
    // TypeScript follows the link to its target: this checkout's own declarations.
    expect(found?.resolvedFileName).toBe(join(root, 'dist', 'index.d.cts'));
  });
});
