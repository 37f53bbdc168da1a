import { Console } from 'node:console';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStudy, plot, RandomSampler, show, type Study } from '../../src/index.js';
import { findKernelTslab } from '../../src/render/tslab.js';

interface DisplayMessage {
  readonly data: Record<string, string>;
  readonly transient: { readonly display_id?: string };
}
type Recorded = { message: DisplayMessage; update: boolean };

let counter = 0;
async function smallStudy(): Promise<Study> {
  const study = await createStudy({ name: `show-${process.pid}-${counter++}`, storage: 'memory:', sampler: new RandomSampler({ seed: 9 }) });
  await study.optimize((t) => t.suggestFloat('x', -1, 1) ** 2 + (t.suggestCategorical('c', ['a', '<i>b</i>']) === 'a' ? 0 : 1), { nTrials: 8, progress: false });
  return study;
}

describe('outside a tslab kernel', () => {
  it('finds no kernel and prints aligned text with console.log', async () => {
    expect(findKernelTslab()).toBeUndefined();
    const study = await smallStudy();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    let calls: unknown[][];
    try {
      show(study);
      show(await plot.history(study));
      show(7);
      calls = log.mock.calls.slice();
    } finally {
      log.mockRestore();
    }
    const printed = calls.map((c) => String(c[0]));
    expect(printed[0]).toContain(`Study '${study.name}'`);
    expect(printed[0]).toMatch(/#\s+state\s+value \(min\)/);
    expect(printed[0]).toContain('<i>b</i>');
    expect(printed[1]).toMatch(/^Plot\(history: /);
    expect(calls[2]?.[0]).toBe(7);
  });

  it('uses a display passed in, and rejects something that is not one', async () => {
    const study = await smallStudy();
    const html: string[] = [];
    const svg: string[] = [];
    const display = { html: (s: string) => html.push(s), svg: (s: string) => svg.push(s), text: () => undefined };
    show(study, { display });
    show(await plot.parallel(study, { display: false }), { display });
    expect(html[0]).toContain('<table');
    expect(html[0]).toContain('&lt;i&gt;b&lt;/i&gt;');
    expect(svg[0]).toMatch(/^<svg/);
    expect(() => show(study, { display: {} as never })).toThrow(/display/);
    expect(() => show(study, { format: 'svg' as never })).toThrow(/expected 'html' or 'text', got "svg"/);
  });

  it("prints HTML markup with format: 'html' (for reports written from a script)", async () => {
    const study = await smallStudy();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    let printed = '';
    try {
      show(study, { format: 'html' });
      printed = String(log.mock.calls[0]?.[0]);
    } finally {
      log.mockRestore();
    }
    expect(printed.startsWith('<div class="tunelab-output">')).toBe(true);
  });
});

describe("inside a tslab kernel (tslab's own jupyter.js given an output channel, as the kernel does)", () => {
  // The kernel sets jupyter.lastWriteDisplayData at the start of each cell; tslab's public
  // display writes through it. We load the real tslab modules and give them a recording channel.
  const jupyter = createRequire(import.meta.url)('tslab/dist/jupyter.js') as { lastWriteDisplayData: ((m: DisplayMessage, update: boolean) => void) | null };
  const recorded: Recorded[] = [];
  beforeAll(() => {
    jupyter.lastWriteDisplayData = (message, update) => recorded.push({ message, update });
  });
  afterAll(() => {
    jupyter.lastWriteDisplayData = null;
  });

  it("reaches the kernel's display without any cell requiring tslab", () => {
    expect(findKernelTslab()).toBeDefined();
  });

  it('shows a study as text/html and a plot as image/svg+xml', async () => {
    recorded.length = 0;
    const study = await smallStudy();
    show(study);
    await plot.history(study); // displays itself in a notebook
    show(await plot.importance(study, { display: false }));
    const types = recorded.map((r) => Object.keys(r.message.data)[0]);
    expect(types).toEqual(['text/html', 'image/svg+xml', 'image/svg+xml']);
    expect(recorded[0]?.message.data['text/html']).toContain('<table');
    expect(recorded[1]?.message.data['image/svg+xml']).toContain('Optimization history');
    expect(recorded[2]?.message.data['image/svg+xml']).toContain('Parameter importance');
    expect(show(study, { format: 'text' }) === undefined && recorded.length).toBe(3);
  });

  it("prints nothing under a plot drawn inline (a cell's last value goes through console.log), and the plot text when not drawn", async () => {
    const study = await smallStudy();
    const drawn = await plot.history(study);
    const kept = await plot.history(study, { display: false });
    const written: unknown[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (written.push(chunk), true));
    // A console on the real stdout, as in the kernel (vitest's own console does not write there).
    const out = new Console({ stdout: process.stdout });
    try {
      out.log(drawn); // what tslab does with `await plot.history(study)` as a cell's last line
      out.log(kept);
      out.log('after');
    } finally {
      write.mockRestore();
    }
    expect(written).toEqual([expect.stringMatching(/^Plot\(history: \d+×\d+ SVG; await p\.save\('history\.svg'\) writes it/), 'after\n']);
  });

  it('draws optimize progress in one display entry redrawn in place, and not with progress: false', async () => {
    const study = await createStudy({ name: `progress-${process.pid}`, storage: 'memory:', sampler: new RandomSampler({ seed: 2 }) });
    recorded.length = 0;
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 5 });
    expect(recorded.length).toBeGreaterThanOrEqual(2);
    const ids = new Set(recorded.map((r) => r.message.transient.display_id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{16}$/);
    expect(recorded[0]?.update).toBeFalsy();
    expect(recorded.slice(1).every((r) => r.update)).toBe(true);
    const last = recorded[recorded.length - 1]?.message.data['text/html'] ?? '';
    expect(last).toContain('5 / 5 trials');
    expect(last).toContain('done in');
    expect(last).toContain(String(Number(study.bestValue.toPrecision(6))));

    recorded.length = 0;
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3, progress: false });
    expect(recorded).toHaveLength(0);
  });
});
