import { InvalidOptionError } from '../../errors.js';
import { resolveColumn } from '../ops/columns.js';
import type { Stage } from '../ops/stage.js';
import type { Column, ColumnChunk, Dtype } from '../types.js';
import type { Indicator, IndicatorState } from './types.js';

/** Output columns are `name + suffix`, for each of the indicator's outputs. */
export type IndicatorSpecs = Readonly<Record<string, Indicator>>;

export function checkSpecs(specs: IndicatorSpecs): void {
  if (typeof specs !== 'object' || specs === null || Object.keys(specs).length === 0) {
    throw new InvalidOptionError("indicators: expected { name: indicator }, e.g. { rsi14: data.indicators.rsi('close', 14) }");
  }
  for (const [name, ind] of Object.entries(specs)) {
    if (!ind || typeof ind.start !== 'function' || !Array.isArray(ind.inputs)) {
      throw new InvalidOptionError(`indicators: '${name}' is not an indicator; make one with data.indicators.ema(...), rsi(...), macd(...), ...`);
    }
  }
}

/**
 * Adds each indicator's output columns to every chunk. Each pass makes fresh indicator states,
 * which carry what later rows need across chunk boundaries.
 */
export function indicatorsStage(specs: IndicatorSpecs): Stage {
  checkSpecs(specs);
  let running: Array<{ name: string; indicator: Indicator; state: IndicatorState; columns: string[] }> | undefined;
  return {
    push(chunk: ColumnChunk) {
      running ??= Object.entries(specs).map(([name, indicator]) => {
        const columns = indicator.inputs.map((c) => {
          const resolved = resolveColumn(chunk, c, `indicator ${name} = ${indicator.label}`);
          if (chunk.dtypes[resolved] === 'string') throw new InvalidOptionError(`indicator ${name} = ${indicator.label}: column '${resolved}' holds text; indicators need numeric columns`);
          return resolved;
        });
        for (const suffix of indicator.outputs) {
          const out = (name + suffix).toLowerCase();
          // Compared ignoring case: columns are found that way, so `close` beside `Close` would be ambiguous.
          if (Object.keys(chunk.columns).some((c) => c.toLowerCase() === out)) {
            throw new InvalidOptionError(`indicator ${name} = ${indicator.label}: its output column '${name + suffix}' already exists (ignoring case) in the source; choose another name`);
          }
        }
        return { name, indicator, state: indicator.start(), columns };
      });
      const columns: Record<string, Column> = { ...chunk.columns };
      const dtypes: Record<string, Dtype> = { ...chunk.dtypes };
      for (const r of running) {
        const outs = r.state.push(r.columns.map((c) => chunk.columns[c] as Float64Array), chunk.rowCount);
        r.indicator.outputs.forEach((suffix, i) => {
          columns[r.name + suffix] = outs[i] as Float64Array;
          dtypes[r.name + suffix] = 'float64';
        });
      }
      return { rowCount: chunk.rowCount, columns, dtypes };
    },
    flush: () => undefined,
  };
}

/**
 * An indicator over whole columns at once (one chunk): `compute(rsi('close', 14), { close })`
 * gives `{ '': values }`, keyed by output suffix.
 */
export function computeIndicator(indicator: Indicator, columns: Readonly<Record<string, Float64Array>>): Record<string, Float64Array> {
  const inputs = indicator.inputs.map((c) => {
    const v = columns[c];
    if (!v) throw new InvalidOptionError(`${indicator.label}: column '${c}' is missing; pass it in the columns`);
    return v;
  });
  const n = inputs[0]?.length ?? 0;
  const outs = indicator.start().push(inputs, n);
  return Object.fromEntries(indicator.outputs.map((s, i) => [s, outs[i] as Float64Array]));
}
