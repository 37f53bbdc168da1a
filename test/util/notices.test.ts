import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import '../../src/index.js';
import { notice } from '../../src/util/notices.js';

describe('notices (the TF.js backend line)', () => {
  it('go to stderr once, never to stdout, outside a notebook', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      notice('tunelab: test notice A');
      notice('tunelab: test notice A');
      expect(err.mock.calls.map((c) => c[0])).toEqual(['tunelab: test notice A\n']);
      expect(out).not.toHaveBeenCalled();
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });

  it("in a tslab kernel: a muted line in the cell's output, not red stderr", () => {
    const jupyter = createRequire(import.meta.url)('tslab/dist/jupyter.js') as { lastWriteDisplayData: ((m: { data: Record<string, string> }, u: boolean) => void) | null };
    const shown: string[] = [];
    jupyter.lastWriteDisplayData = (m) => shown.push(m.data['text/html'] ?? '');
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      notice('tunelab: <b>B</b>');
      expect(err).not.toHaveBeenCalled();
      expect(shown).toHaveLength(1);
      expect(shown[0]).toContain('tunelab: &lt;b&gt;B&lt;/b&gt;');
    } finally {
      err.mockRestore();
      jupyter.lastWriteDisplayData = null;
    }
  });
});
