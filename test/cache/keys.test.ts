import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluationKey, hashText, objectiveIdentity, scopeKey } from '../../src/cache/keys.js';
import { markObjectiveModule } from '../../src/util/objective-module.js';

const dir = mkdtempSync(join(tmpdir(), 'tunelab-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A function whose source text is exactly `body` (esbuild reformats arrow functions written in a test file). */
function fnWithSource(body: string): (t: number) => number {
  return new Function('t', body) as (t: number) => number;
}

describe('hashText', () => {
  it('is the first 32 base64url characters of SHA-256', () => {
    // SHA-256("abc") = ba7816bf…15ad, the FIPS 180-2 test vector, in base64url.
    expect(hashText('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qc');
    expect(hashText('')).toBe('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NM');
  });
});

describe('objectiveIdentity', () => {
  it('folds every run of white space in an inline objective, so re-indenting a cell keeps the cache', () => {
    const a = objectiveIdentity(fnWithSource('return t * 2;'));
    expect(objectiveIdentity(fnWithSource('return   t *\n\t\t2;'))).toBe(a);
    expect(objectiveIdentity(fnWithSource('return t * 3;'))).not.toBe(a);
    // Folded to one space, not removed: white space that separates tokens is part of the program.
    expect(objectiveIdentity(fnWithSource('return typeof t;'))).not.toBe(objectiveIdentity(fnWithSource('return typeoft;')));
    expect(a).toMatch(/^fn:[\w-]{32}$/);
  });

  it('identifies a module by path and content: the same file by path, file: URL or URL object agrees', () => {
    const file = join(dir, 'objective.mjs');
    writeFileSync(file, 'export default () => 1;\n');
    const byPath = objectiveIdentity(file);
    expect(byPath).toBe(`module:${file}:${hashText('export default () => 1;\n')}`);
    expect(objectiveIdentity(pathToFileURL(file).href)).toBe(byPath);
    expect(objectiveIdentity(pathToFileURL(file))).toBe(byPath);
    writeFileSync(file, 'export default () => 2;\n');
    expect(objectiveIdentity(file)).not.toBe(byPath);
  });

  it('keys a function marked as a module default export by that module, not by its own source', () => {
    const file = join(dir, 'marked.mjs');
    writeFileSync(file, 'const scale = 3;\nexport default (t) => t * scale;\n');
    const fn = markObjectiveModule(fnWithSource('return t * scale;'), pathToFileURL(file).href);
    expect(objectiveIdentity(fn)).toBe(objectiveIdentity(file));
    expect(objectiveIdentity(fn)).not.toBe(objectiveIdentity(fnWithSource('return t * scale;')));
    writeFileSync(file, 'const scale = 4;\nexport default (t) => t * scale;\n');
    expect(objectiveIdentity(fn)).toBe(`module:${file}:${hashText('const scale = 4;\nexport default (t) => t * scale;\n')}`);
  });

  it('keys a data: URL module by the URL itself, in any case of the scheme', () => {
    const a = 'data:text/javascript,export default () => 1';
    expect(objectiveIdentity(a)).toBe(`module:${hashText(a)}`);
    expect(objectiveIdentity(`DATA:${a.slice(5)}`)).toBe(`module:${hashText(`DATA:${a.slice(5)}`)}`);
    expect(objectiveIdentity('data:text/javascript,export default () => 2')).not.toBe(objectiveIdentity(a));
  });

  it('gives no identity to a module behind a URL it cannot read (http:, https:, node:), even one whose path holds "file:"', () => {
    for (const url of ['http://example.com/objective.mjs', 'https://example.com/file:objective.mjs', 'HTTPS://example.com/x.mjs', 'node:fs']) {
      expect(objectiveIdentity(url)).toBeUndefined();
    }
    expect(objectiveIdentity(new URL('https://example.com/objective.mjs'))).toBeUndefined();
  });

  it('reads a path with a colon inside it as a path, and a FILE: URL in capitals as a file', () => {
    const sub = join(dir, 'run:2');
    mkdirSync(sub, { recursive: true });
    const file = join(sub, 'objective.mjs');
    writeFileSync(file, 'export default () => 5;\n');
    const expected = `module:${file}:${hashText('export default () => 5;\n')}`;
    expect(objectiveIdentity(file)).toBe(expected);
    expect(objectiveIdentity(pathToFileURL(file).href.replace(/^file:/, 'FILE:'))).toBe(expected);
    // 'data:' inside a path is not a data: URL.
    const dataDir = join(dir, 'old-data:1');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'objective.mjs'), 'export default () => 6;\n');
    expect(objectiveIdentity(join(dataDir, 'objective.mjs'))).toBe(`module:${join(dataDir, 'objective.mjs')}:${hashText('export default () => 6;\n')}`);
  });

  it('gives no identity to a module it cannot read, so a run with it is not cached (its content is unknown)', () => {
    const missing = join(dir, 'missing.mjs');
    expect(objectiveIdentity(missing)).toBeUndefined();
  });
});

describe('scopeKey', () => {
  const base = { objective: 'fn:abc' };
  it('tells every scope field from its absence', () => {
    const keys = [
      scopeKey(base),
      scopeKey({ ...base, datasetFingerprint: 'd' }),
      scopeKey({ ...base, seed: 0 }),
      scopeKey({ ...base, context: '{}' }),
      scopeKey({ ...base, version: 'v1' }),
      scopeKey({ objective: 'fn:abd' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
  it('tells different values of each field apart', () => {
    expect(scopeKey({ ...base, context: '{"a":1}' })).not.toBe(scopeKey({ ...base, context: '{"a":2}' }));
    expect(scopeKey({ ...base, datasetFingerprint: 'd1' })).not.toBe(scopeKey({ ...base, datasetFingerprint: 'd2' }));
    expect(scopeKey({ ...base, version: 'v1' })).not.toBe(scopeKey({ ...base, version: 'v2' }));
  });
  it('prefixes every evaluation key', () => {
    const scope = { ...base, seed: 3, context: '{"k":1}' };
    expect(evaluationKey(scope, { x: 1 }).startsWith(`${scopeKey(scope)}!`)).toBe(true);
  });
});
