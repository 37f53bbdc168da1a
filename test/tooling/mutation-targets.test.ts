import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs config without declarations
import { targets } from '../../stryker.targets.mjs';

/** Files under the pattern's fixed prefix that match it (`*` within a name, `**` across folders). */
function matches(pattern: string): string[] {
  const parts = pattern.split('/');
  const fixed = parts.findIndex((p) => p.includes('*'));
  const root = fixed < 0 ? pattern : parts.slice(0, fixed).join('/');
  if (fixed < 0) return existsSync(root) ? [root] : [];
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '(?:.*/)?');
  const re = new RegExp(`^${source}$`);
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (re.test(path)) found.push(path);
    }
  };
  walk(root);
  return found;
}

describe('stryker.targets.mjs', () => {
  // A moved or renamed file leaves a target mutating nothing, or scoring its mutants against
  // fewer tests than it names, without an error from Stryker: the layering did that to three targets.
  const entries = Object.entries(targets as Record<string, { mutate: string[]; tests: string[] }>);
  it.each(entries)('%s: every mutate and test pattern names files that exist', (_name, target) => {
    // A '!' pattern takes files out of a target: what it names must exist too, or it hides nothing.
    for (const pattern of [...target.mutate, ...target.tests]) expect(matches(pattern.replace(/^!/, '')), pattern).not.toHaveLength(0);
  });
});
