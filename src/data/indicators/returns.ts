import { columnName } from './check.js';
import { rowWise, type Indicator } from './types.js';

function change(label: string, column: string, fn: (prev: number, cur: number) => number): Indicator {
  return {
    label,
    inputs: [column],
    outputs: [''],
    start() {
      // The value of the row before, whatever chunk it was in: NaN before the first row.
      let prev = NaN;
      return rowWise(([cur]) => {
        const out = fn(prev, cur as number);
        prev = cur as number;
        return out;
      });
    },
  };
}

/** Simple returns x[t] / x[t-1] - 1 (pandas `pct_change()`); NaN on the first row and beside a missing value. */
export function returns(column: string): Indicator {
  return change(`returns(${columnName('returns', 'column', column)})`, column, (prev, cur) => cur / prev - 1);
}

/** Log returns ln(x[t] / x[t-1]); NaN on the first row and beside a missing value. */
export function logReturns(column: string): Indicator {
  return change(`logReturns(${columnName('logReturns', 'column', column)})`, column, (prev, cur) => Math.log(cur / prev));
}
