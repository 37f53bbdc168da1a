import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST_PROBLEM } from '../helpers/dist.js';
import { requireOrSkip } from '../helpers/require.js';

// What `npm install tunelab` gives a user: the tarball's files and the package.json fields npm and
// TypeScript read. (The install itself, from the npm registry into an empty project, is measured
// by hand and written in the README: it takes minutes.)
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  files: string[];
  exports: Record<string, Record<string, unknown>>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  typesVersions: Record<string, Record<string, string[]>>;
  scripts: Record<string, string>;
};

describe('package.json', () => {
  it('needs nothing a registry-only install cannot fetch, and no second TF.js', () => {
    for (const [name, range] of Object.entries(pkg.dependencies)) {
      expect(range, name).toMatch(/^[\^~]?\d/); // registry versions only: no URL, git or alias
    }
    expect(Object.keys(pkg.dependencies)).not.toContain('danfojs-node');
    expect(Object.keys(pkg.dependencies)).not.toContain('danfojs');
    expect(Object.keys(pkg.dependencies).filter((d) => d.startsWith('@tensorflow/tfjs-node'))).toEqual([]);
  });

  it('declares native TF.js and vitest as optional peers', () => {
    for (const peer of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'vitest']) {
      expect(pkg.peerDependencies[peer], peer).toBeDefined();
      expect(pkg.peerDependenciesMeta[peer]?.optional, peer).toBe(true);
    }
    expect(pkg.peerDependencies['@tensorflow/tfjs-node']).toBe(pkg.dependencies['@tensorflow/tfjs']);
  });

  it('serves tunelab/testing as ESM only, with types for node10 resolution too', () => {
    expect(Object.keys(pkg.exports['./testing'] ?? {})).toEqual(['import']);
    expect(pkg.typesVersions['*']?.['testing']).toEqual(['./dist/testing/index.d.ts']);
    expect(pkg.scripts['prepack']).toBe('npm run build');
  });
});

describe.skipIf(requireOrSkip(DIST_PROBLEM))(`the tarball (${(DIST_PROBLEM === undefined) ? 'dist built' : DIST_PROBLEM})`, () => {
  // The file list npm would pack, asked once, without blocking this worker's event loop.
  let files: string[] = [];
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
    files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  });
  const packed = (): string[] => files;

  it('holds the library, the CLI, danfojs and the licenses; no benchmarks, no CommonJS testing entry', () => {
    const files = packed();
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/testing/index.js', 'dist/testing/index.d.ts', 'dist/cli/main.js', 'dist/parallel/worker-thread.cjs', 'dist/parallel/worker-process.js', 'dist/vendor/danfojs/index.js', 'dist/vendor/danfojs/index.d.ts', 'dist/vendor/danfojs/LICENSE', 'datasets/btc-usd-1d.csv']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('dist/bench/') || f.includes('generate-data'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/testing/index.') && /\.c[jt]s/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('ships source maps without the sources inside', () => {
    const maps = packed().filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const f of maps) {
      const map = JSON.parse(readFileSync(f, 'utf8')) as { sourcesContent?: unknown };
      expect(map.sourcesContent, f).toBeUndefined();
    }
  });

  it("declarations point at the bundled danfojs types, not at a package users don't have", () => {
    const dts = packed()
      .filter((f) => /\.d\.c?ts$/.test(f) && !f.startsWith('dist/vendor/'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(dts).not.toMatch(/(from |import )['"]danfojs(-node)?['"]/);
    expect(dts).toMatch(/from '\.\/vendor\/danfojs\/index\.js'/);
  });

  it('tunelab --version prints the package version', () => {
    const cli = resolve('dist/cli/main.js');
    expect(existsSync(cli)).toBe(true);
    expect(execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
  });
});
