/**
 * JSON as Python's `json` module writes and reads it, which is what Optuna's journal files hold:
 * non-finite numbers appear as the bare tokens NaN, Infinity and -Infinity, and -0 as -0.0.
 */

/** One value as Python's json.dumps writes it (same separators, same tokens for non-finite numbers). */
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
// The key that marks a rewritten token. It starts with a NUL character, which no attribute key a
// user could have meant holds; in the JSON text it must appear escaped (JSON forbids raw control characters).
const NON_FINITE_TAG = '\u0000tunelab-non-finite';
const NON_FINITE_TAG_JSON = JSON.stringify(NON_FINITE_TAG);
const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Parses one line of Python-written JSON (bare NaN, Infinity, -Infinity allowed); throws SyntaxError as JSON.parse does. */
export function parsePythonJson(text: string): unknown {
  if (!text.includes('NaN') && !text.includes('Infinity')) return JSON.parse(text);
  // Rewrite the bare tokens (never the same letters inside a string) to tagged objects, then revive them.
  const rewritten = text.replace(TOKENS, (m) => (m.startsWith('"') ? m : `{${NON_FINITE_TAG_JSON}:"${m}"}`));
  return JSON.parse(rewritten, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, NON_FINITE_TAG)) {
      const tag = (v as Record<string, unknown>)[NON_FINITE_TAG];
      const n = typeof tag === 'string' ? NON_FINITE[tag] : undefined;
      if (n !== undefined && Object.keys(v).length === 1) return n;
    }
    return v;
  });
}

/** Whether a value holds a number that JSON.stringify would lose (NaN, ±Infinity become null, -0 becomes 0). */
export function hasNonJsonNumber(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isFinite(value) || Object.is(value, -0);
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => hasNonJsonNumber(v, depth + 1));
  for (const key in value) if (hasNonJsonNumber((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}
