import { describe, expect, it } from 'vitest';
import { TunelabError } from '../errors.js';
import type { Plot } from '../render/plot/plot.js';
import type { PlotSource } from '../render/plot/source.js';
import type { TslabDisplay } from '../render/tslab.js';
import type { FrozenTrial, TrialId } from '../trial/frozen-trial.js';
import type { Direction } from '../trial/state.js';

/** Makes one plot of a source; `display` is passed through as the plot's display option. */
export type MakePlot = (source: PlotSource, display: false | TslabDisplay) => Promise<Plot>;

export interface PlotConformanceOptions {
  /** Directions of the studies the plot is made from (default one: minimize). */
  readonly directions?: readonly Direction[];
}

const HOSTILE = '<img src=x onerror=alert(1)>';

/**
 * A study as plain data (what every plot accepts), seeded, with a log-scale, an int and a
 * categorical parameter whose choices include markup, learning curves, pruned and failed trials,
 * and two workers' start and end times.
 */
export function plotSource(directions: readonly Direction[] = ['minimize'], n = 24): PlotSource {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const t0 = Date.UTC(2026, 0, 1);
  const trials: FrozenTrial[] = [];
  for (let i = 0; i < n; i++) {
    const x = -3 + 6 * rand();
    const lr = 10 ** (-4 + 3 * rand());
    const layers = 1 + Math.floor(4 * rand());
    const choice = i % 3;
    const state = i % 11 === 5 ? 'PRUNED' : i % 13 === 7 ? 'FAIL' : 'COMPLETE';
    const base = (x - 1) ** 2 + Math.abs(Math.log10(lr) + 2) + 0.1 * layers + choice;
    const values = state === 'COMPLETE' ? directions.map((d, k) => (d === 'minimize' ? base + k * x : 10 - base + k)) : undefined;
    const start = t0 + i * 700 + (i % 2) * 150;
    trials.push({
      trialId: i as TrialId,
      number: i,
      state,
      value: values?.length === 1 ? values[0] : undefined,
      values,
      params: { x, lr, layers, [HOSTILE.slice(0, 4) + 'name']: ['adam', 'sgd', HOSTILE][choice] as string },
      internalParams: { x, lr, layers, [HOSTILE.slice(0, 4) + 'name']: choice },
      distributions: {
        x: { kind: 'float', low: -3, high: 3, log: false, step: undefined },
        lr: { kind: 'float', low: 1e-4, high: 0.1, log: true, step: undefined },
        layers: { kind: 'int', low: 1, high: 4, log: false, step: 1 },
        [HOSTILE.slice(0, 4) + 'name']: { kind: 'categorical', choices: ['adam', 'sgd', HOSTILE] },
      } as never,
      intermediateValues: { 1: base * 2, 2: base * 1.5, 3: base * 1.2 },
      userAttrs: {},
      systemAttrs: { worker: i % 2, ...(state === 'FAIL' && { failReason: 'boom' }) },
      datetimeStart: new Date(start),
      datetimeComplete: new Date(start + 500 + 50 * (i % 5)),
      durationMs: 500 + 50 * (i % 5),
    });
  }
  return { name: `conformance <b>study</b>`, directions, trials };
}

/**
 * Checks every plot must pass: a static SVG with the plot's title, user text (study names,
 * parameter names, categorical choices) kept as text, never markup; plain JSON-safe data; drawn on
 * the display given and on none with `display: false`; a study with no COMPLETE trial gives a
 * typed tunelab error or an empty plot, never a crash from deep inside vega.
 */
export function plotConformance(name: string, make: MakePlot, options: PlotConformanceOptions = {}): void {
  const directions = options.directions ?? ['minimize'];
  describe(`plot conformance: ${name}`, () => {
    it('renders a static SVG, user text escaped', async () => {
      const p = await make(plotSource(directions), false);
      expect(p.svg.startsWith('<svg')).toBe(true);
      expect(p.svg).toContain('</svg>');
      expect(p.svg).not.toContain('<img');
      expect(p.svg).not.toContain('<b>');
      expect(p.svg).not.toMatch(/NaN|undefined/);
    });

    it('keeps its data as plain JSON-safe values', async () => {
      const p = await make(plotSource(directions), false);
      expect(JSON.parse(JSON.stringify(p.data))).toEqual(p.data);
    });

    it('draws on the display given, once, and on none with display: false', async () => {
      const drawn: string[] = [];
      const display: TslabDisplay = { html: () => undefined, svg: (s) => drawn.push(s), text: () => undefined };
      const p = await make(plotSource(directions), display);
      expect(drawn).toEqual([p.svg]);
      await make(plotSource(directions), false);
      expect(drawn).toHaveLength(1);
    });

    it('a study with no COMPLETE trial: a typed error or an empty plot', async () => {
      const source = plotSource(directions);
      const empty: PlotSource = { ...source, trials: source.trials.map((t) => ({ ...t, state: 'FAIL', values: undefined, value: undefined })) };
      try {
        const p = await make(empty, false);
        expect(p.svg.startsWith('<svg')).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(TunelabError);
      }
    });
  });
}
