/**
 * A technical indicator as a streaming operation: `start()` makes a fresh state for one pass over
 * a source, and `push` turns each chunk's input columns into output columns. The state carries
 * everything a row needs from earlier rows (a running average, the previous close, a window's
 * tail), so the output is the same, bit for bit, however the rows are cut into chunks.
 */
export interface Indicator {
  /** What it is, for labels and errors: `rsi(close, 14)`. */
  readonly label: string;
  /** The input columns it reads, in the order `push` receives them. */
  readonly inputs: readonly string[];
  /** Suffixes of its output columns after the name it is given: `['']`, or `['', '_signal', '_hist']`. */
  readonly outputs: readonly string[];
  start(): IndicatorState;
}

export interface IndicatorState {
  /** One chunk: `inputs[i]` holds column `inputs[i]`'s values for `n` rows; returns one array per output. */
  push(inputs: readonly Float64Array[], n: number): Float64Array[];
}

/** A state that turns one row of inputs into one output value. */
export function rowWise(next: (row: readonly number[]) => number): IndicatorState {
  return {
    push(inputs, n) {
      const out = new Float64Array(n);
      const row: number[] = new Array<number>(inputs.length).fill(NaN);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < inputs.length; c++) row[c] = (inputs[c] as Float64Array)[i] as number;
        out[i] = next(row);
      }
      return [out];
    },
  };
}
