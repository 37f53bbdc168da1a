import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createStudy, RandomSampler, type FrozenTrial } from '../../src/index.js';
import { startProgress } from '../../src/render/progress/progress.js';
import { countTrial, progressState, progressText } from '../../src/render/progress/state.js';

function fakeTrial(number: number, state: FrozenTrial['state'], value?: number): FrozenTrial {
  return { number, state, value, values: value === undefined ? undefined : [value], params: {}, distributions: {}, intermediateValues: {}, userAttrs: {}, systemAttrs: {} } as unknown as FrozenTrial;
}

/** A stream that says it is a terminal, recording what is written to it. */
function ttyStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const s = new PassThrough();
  s.on('data', (c: Buffer) => chunks.push(c.toString()));
  Object.assign(s, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: s as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('progress state', () => {
  it('counts states, keeps the best value and estimates the time left from the pace', () => {
    const tally = { done: 0, complete: 0, pruned: 0, failed: 0, best: undefined };
    countTrial(tally, fakeTrial(0, 'COMPLETE', 3), 'minimize');
    countTrial(tally, fakeTrial(1, 'PRUNED', 1), 'minimize');
    countTrial(tally, fakeTrial(2, 'COMPLETE', 2), 'minimize');
    countTrial(tally, fakeTrial(3, 'FAIL'), 'minimize');
    const state = progressState({ study: 's', direction: 'minimize', total: 10, startedAt: 0, deadline: undefined }, tally, 1, 4000, false);
    expect(state).toMatchObject({ done: 4, complete: 2, pruned: 1, failed: 1, best: { value: 2, trial: 2 }, running: 1, elapsedMs: 4000, etaMs: 6000 });
    // A timeout caps the estimate.
    expect(progressState({ study: 's', direction: 'minimize', total: 10, startedAt: 0, deadline: 5000 }, tally, 1, 4000, false).etaMs).toBe(1000);
    expect(progressText(state)).toBe('s: 4/10 trials (2 complete, 1 pruned, 1 failed), best 2 (#2), 1 running, 4 s elapsed, ETA 6 s');
  });

  it('never shows an infeasible trial as the best', () => {
    const tally = { done: 0, complete: 0, pruned: 0, failed: 0, best: undefined };
    const constrained = (number: number, value: number, c: number): FrozenTrial => ({ ...fakeTrial(number, 'COMPLETE', value), systemAttrs: { constraints: [c] } });
    countTrial(tally, constrained(0, 5, -1), 'minimize');
    countTrial(tally, constrained(1, 1, 0.5), 'minimize');
    expect(tally.best).toEqual({ value: 5, trial: 0 });
  });
});

describe('startProgress', () => {
  const source = { name: 'p', directions: ['minimize' as const], trials: [], view: { runningTrials: () => [] } };

  it('draws a cli-progress bar on a terminal', () => {
    const { stream, text } = ttyStream();
    const handle = startProgress(source, { nTrials: 3, stream });
    handle.update(fakeTrial(0, 'COMPLETE', 5));
    handle.update(fakeTrial(1, 'COMPLETE', 4));
    handle.update(fakeTrial(2, 'RUNNING'));
    handle.update(fakeTrial(2, 'COMPLETE', 6));
    handle.stop();
    handle.stop();
    const out = text();
    expect(out).toContain('3/3');
    expect(out).toContain('best 4 #1');
  });

  it('gives runs going at once on one terminal a line each, ending when the last one stops', () => {
    const { stream, text } = ttyStream();
    const a = startProgress({ ...source, name: 'family-a' }, { nTrials: 2, stream });
    const b = startProgress({ ...source, name: 'family-b' }, { nTrials: 3, stream });
    a.update(fakeTrial(0, 'COMPLETE', 5));
    b.update(fakeTrial(0, 'COMPLETE', 7));
    a.update(fakeTrial(1, 'COMPLETE', 4));
    a.stop();
    b.update(fakeTrial(1, 'COMPLETE', 6));
    b.stop();
    const out = text();
    expect(out).toContain('family-a [');
    expect(out).toContain('family-b [');
    expect(out).toContain('2/2');
    expect(out).toContain('2/3');
    // Both bars live in one multi-bar: after the last stop a new run starts a fresh one.
    const c = startProgress({ ...source, name: 'family-c' }, { nTrials: 1, stream });
    c.update(fakeTrial(0, 'COMPLETE', 1));
    c.stop();
    expect(text()).toContain('family-c [');
  });

  it('stays silent when the output is not a terminal and not a notebook, or with progress: false', async () => {
    const pipe = new PassThrough();
    let written = '';
    pipe.on('data', (c: Buffer) => (written += c.toString()));
    const handle = startProgress(source, { nTrials: 2, stream: pipe as unknown as NodeJS.WriteStream });
    handle.update(fakeTrial(0, 'COMPLETE', 1));
    handle.stop();
    const { stream, text } = ttyStream();
    const off = startProgress(source, { nTrials: 2, stream, progress: false });
    off.update(fakeTrial(0, 'COMPLETE', 1));
    off.stop();
    expect(written).toBe('');
    expect(text()).toBe('');
  });

  it('keeps running when the display throws (a closed notebook output)', async () => {
    const study = await createStudy({ storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
    const display = { html: () => { throw new Error('Not ready'); }, svg: () => undefined, text: () => undefined };
    const handle = startProgress(study, { nTrials: 1, display });
    handle.update(fakeTrial(0, 'COMPLETE', 1));
    expect(() => handle.stop()).not.toThrow();
  });
});
