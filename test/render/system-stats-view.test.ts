import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy, MemoryMonitor, systemStats } from '../../src/index.js';
import { textRenderer } from '../../src/render/text.js';
import { toDocument } from '../../src/render/to-document.js';
import { relativeToCwd } from '../../src/render/view-models/system-stats.js';

describe('show(systemStats())', () => {
  it('GC is counted from load, units are MiB throughout, resources get real columns, paths are relative', async () => {
    // Garbage before the first look: the observer started when tunelab was imported.
    let keep = 0;
    for (let i = 0; i < 200_000; i++) keep += { i, s: `x${i}` }.s.length;
    expect(keep).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    const dir = mkdtempSync(join(process.cwd(), '.tunelab-sysstats-'));
    const monitor = new MemoryMonitor({ intervalMs: 50, warn: false }).start();
    const study = await createStudy({ name: 'sys', storage: `level:${dir}/db` });
    try {
      await new Promise((r) => setTimeout(r, 120));
      const stats = systemStats();
      expect(stats.gc.count).toBeGreaterThan(0);
      const text = textRenderer.render(toDocument(stats)!);
      expect(text).not.toMatch(/\bMB\b|\bGB\b|\bkB\b/);
      expect(text).toMatch(/rss\s+\d+ MiB/);
      expect(text).toMatch(/gc\s+[1-9]\d* collections since tunelab loaded/);
      // Monitors and storages: columns, not a JSON blob in one cell.
      expect(text).not.toMatch(/\{"/);
      expect(text).toMatch(/Monitors\nname\s+.*rssMiB \(MiB\)/);
      expect(text).toContain(`level:${dir.slice(process.cwd().length + 1)}/db`);
      expect(text).not.toContain(`level:${dir}`);
    } finally {
      monitor.stop();
      await study.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('relativeToCwd shortens only paths inside the working directory', () => {
    expect(relativeToCwd('level:/work/x/.tunelab/db', '/work/x')).toBe('level:.tunelab/db');
    expect(relativeToCwd('/elsewhere/db', '/work/x')).toBe('/elsewhere/db');
    expect(relativeToCwd('/work/xy/db', '/work/x')).toBe('/work/xy/db');
  });
});
