import { parseFloatText } from './parse-number.js';
import { looksLikeIsoDate } from './parse-datetime.js';
import type { Dtype } from './types.js';

/**
 * Guesses a column's type from sample texts (nulls ignored): numbers → float64, ISO dates →
 * datetime, anything else → string. A column with only nulls is float64 (all NaN).
 */
export function inferDtype(samples: readonly string[], nullValues: ReadonlySet<string>): Dtype {
  let numeric = true;
  let dates = true;
  let seen = 0;
  for (const s of samples) {
    if (nullValues.has(s) || s.trim() === '') continue;
    seen++;
    if (numeric && parseFloatText(s, nullValues) === undefined) numeric = false;
    if (dates && !looksLikeIsoDate(s)) dates = false;
    if (!numeric && !dates) return 'string';
  }
  if (seen === 0 || numeric) return 'float64';
  return dates ? 'datetime' : 'string';
}
