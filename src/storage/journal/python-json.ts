/**
 * JSON as Python's `json` module writes and reads it, which is what Optuna's journal files hold:
 * non-finite numbers appear as the bare tokens NaN, Infinity and -Infinity, and -0 as -0.0.
 */

/** One value as Python's json.dumps would write it (separators ', ' and ': ' are not needed to be read back). */
export function toPythonJson(value: unknown): string {
  switch (typeof value) {
    case 'number':
      if (Number.isFinite(value)) return Object.is(value, -0) ? '-0.0' : String(value);
      return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(toPythonJson).join(', ')}]`;
      const parts: string[] = [];
      const obj = value as Record<string, unknown>;
      for (const key in obj) if (obj[key] !== undefined) parts.push(`${JSON.stringify(key)}: ${toPythonJson(obj[key])}`);
      return `{${parts.join(', ')}}`;
    }
    default:
      return 'null';
  }
}

const TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
const NON_FINITE_TAG = '\u0000tunelab-non-finite';

/** Parses one line of Python-written JSON; throws SyntaxError as JSON.parse does. */
export function parsePythonJson(text: string): unknown {
  if (!text.includes('NaN') && !text.includes('Infinity')) return JSON.parse(text);
  // Rewrite the bare tokens (never the same letters inside a string) to tagged objects, then revive them.
  const rewritten = text.replace(TOKENS, (m) => (m.startsWith('"') ? m : `{"${NON_FINITE_TAG}":"${m}"}`));
  return JSON.parse(rewritten, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && NON_FINITE_TAG in v) {
      const tag = (v as Record<string, string>)[NON_FINITE_TAG];
      return tag === 'NaN' ? NaN : tag === 'Infinity' ? Infinity : -Infinity;
    }
    return v;
  });
}
