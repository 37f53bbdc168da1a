import { describe, expect, it } from 'vitest';
import { LiveTrials } from '../../src/study/live-trials.js';

const listed = (live: LiveTrials<{ number: number; tag: string }>): string[] =>
  Array.from({ length: live.count }, (_, i) => `${live.at(i).number}${live.at(i).tag}`);

describe('LiveTrials', () => {
  it('keeps trials in start order, replaces in place, and removes without disturbing the rest', () => {
    const live = new LiveTrials<{ number: number; tag: string }>();
    for (const n of [4, 1, 7, 2]) live.set({ number: n, tag: 'a' });
    expect(listed(live)).toEqual(['4a', '1a', '7a', '2a']);
    live.set({ number: 7, tag: 'b' });
    expect(listed(live)).toEqual(['4a', '1a', '7b', '2a']);
    live.delete(1);
    live.delete(99);
    expect(listed(live)).toEqual(['4a', '7b', '2a']);
    expect(live.get(7)?.tag).toBe('b');
    expect(live.get(1)).toBeUndefined();
    expect(live.has(2)).toBe(true);
    expect(live.has(1)).toBe(false);
  });

  it('empties and fills again as trials come and go, one at a time or many at once', () => {
    const live = new LiveTrials<{ number: number; tag: string }>();
    for (let n = 0; n < 50; n++) {
      live.set({ number: n, tag: 'x' });
      expect(live.count).toBe(1);
      live.delete(n);
      expect(live.count).toBe(0);
      expect(live.get(n)).toBeUndefined();
    }
    for (let n = 0; n < 20; n++) live.set({ number: n, tag: 'y' });
    for (let n = 0; n < 20; n += 2) live.delete(n);
    expect(listed(live)).toEqual(Array.from({ length: 10 }, (_, i) => `${2 * i + 1}y`));
  });
});
