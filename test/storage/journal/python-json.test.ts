import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasNonJsonNumber, parsePythonJson, toPythonJson } from '../../../src/storage/journal/python-json.js';
import { attrsFromRows, attrToJson, checkDbText, dbTextProblem, directionFromDb, directionToDb, fromStored, MAX_NAME_LENGTH, toStored } from '../../../src/storage/postgres/codec.js';
import { pythonCannotImport, runPython } from '../../helpers/python.js';
import { requireOrSkip } from '../../helpers/require.js';

const pythonMissing = pythonCannotImport('json', 'apt-get install -y python3');

// Values as attributes hold them: JSON, plus the numbers JSON.stringify loses (NaN, ±Infinity, -0), and
// strings that spell those tokens, so the parser must tell a token from text.
const special = fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE);
const text = fc.oneof(fc.string(), fc.constantFrom('NaN', 'Infinity', '-Infinity', '"NaN"', 'a\\"NaN', '{"x": NaN}', 'é€😀', '\u0000'));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, special, fc.double(), fc.integer(), text, fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(text, tie('v'), { maxKeys: 4 })),
})).v;

/** JSON that carries NaN, ±Infinity and -0 as tagged objects, for sending values to Python. */
function transport(v: unknown): unknown {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { __n: 'nan' };
    if (v === Infinity) return { __n: 'inf' };
    if (v === -Infinity) return { __n: '-inf' };
    if (Object.is(v, -0)) return { __n: '-0' };
    return v;
  }
  if (Array.isArray(v)) return v.map(transport);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, transport(x)]));
  return v;
}

const PY_UNTRANSPORT = `
def untransport(v):
    if isinstance(v, dict):
        if set(v) == {"__n"}:
            return {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "-0": -0.0}[v["__n"]]
        return {k: untransport(x) for k, x in v.items()}
    if isinstance(v, list):
        return [untransport(x) for x in v]
    return v
def same(a, b):
    if isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return (a != a and b != b) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, int) and not isinstance(a, bool) and isinstance(b, (int, float)) and not isinstance(b, bool):
        return a == b and not (isinstance(b, float) and math.copysign(1, b) < 0 and b == 0)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) == type(b) and a == b
`;

describe('Python-style JSON (Optuna journal and RDB attribute values)', () => {
  const sample = fc.sample(value, { numRuns: 300, seed: 20261204 });

  it.skipIf(requireOrSkip(pythonMissing))('Python’s json.loads reads what toPythonJson writes, and parsePythonJson reads what json.dumps writes, value for value', () => {
    const script = `
import json, math, sys
${PY_UNTRANSPORT}
cases = json.loads(sys.stdin.read())
out = []
for c in cases:
    want = untransport(c["value"])
    out.append({"read": same(json.loads(c["ours"]), want), "dumped": json.dumps(want)})
print(json.dumps(out))`;
    const py = runPython(['-c', script], JSON.stringify(sample.map((v) => ({ value: transport(v), ours: toPythonJson(v) }))));
    expect(py.status, py.stderr).toBe(0);
    const answers = JSON.parse(py.stdout) as { read: boolean; dumped: string }[];
    expect(answers).toHaveLength(sample.length);
    sample.forEach((v, i) => {
      const a = answers[i] as { read: boolean; dumped: string };
      expect(a.read, `Python misread ${toPythonJson(v)}`).toBe(true);
      expect(parsePythonJson(a.dumped), a.dumped).toEqual(v);
    });
  });

  it('round-trips every value through toPythonJson and parsePythonJson, -0 and NaN included', () => {
    fc.assert(fc.property(value, (v) => {
      expect(parsePythonJson(toPythonJson(v))).toEqual(v);
    }), { seed: 1, numRuns: 500 });
  });

  it('writes non-finite numbers and -0 as Python does, and leaves the same letters inside strings alone', () => {
    expect(toPythonJson([Number.NaN, Infinity, -Infinity, -0, 0, 1.5])).toBe('[NaN, Infinity, -Infinity, -0.0, 0, 1.5]');
    expect(toPythonJson({ a: 'NaN', b: { c: undefined, d: true } })).toBe('{"a": "NaN", "b": {"d": true}}');
    expect(toPythonJson(undefined)).toBe('null');
    expect(parsePythonJson('{"NaN": "-Infinity", "x": [NaN, -Infinity, Infinity]}')).toEqual({ NaN: '-Infinity', x: [Number.NaN, -Infinity, Infinity] });
    // An object that happens to look like the parser's own tag is data, not a number.
    expect(parsePythonJson('{"\\u0000tunelab-non-finite": "NaN", "other": 1, "n": NaN}')).toEqual({ '\u0000tunelab-non-finite': 'NaN', other: 1, n: Number.NaN });
    expect(() => parsePythonJson('[NaN,')).toThrow(SyntaxError);
  });

  it('hasNonJsonNumber finds the numbers JSON.stringify would lose, at any depth it looks', () => {
    fc.assert(fc.property(value, (v) => {
      expect(hasNonJsonNumber(v)).toBe(JSON.stringify(transport(v)) !== JSON.stringify(v));
    }), { seed: 2, numRuns: 500 });
  });
});

describe('PostgreSQL codec (Optuna’s RDB schema)', () => {
  it('stores every double and reads the same one back, ±Infinity and NaN outside the float column', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), special), (v) => {
        const stored = toStored(v);
        expect(stored.type === 'FINITE').toBe(Number.isFinite(v));
        if (stored.type !== 'FINITE') expect(stored.value).toBeNull();
        expect(Object.is(fromStored(stored.value, stored.type), v)).toBe(true);
      }),
      { seed: 3 },
    );
    expect([Number.NaN, Infinity, -Infinity, 2].map((v) => toStored(v).type)).toEqual(['NAN', 'INF_POS', 'INF_NEG', 'FINITE']);
  });

  it('writes directions as Optuna’s enum names and reads them back', () => {
    expect(directionToDb('maximize')).toBe('MAXIMIZE');
    expect(directionToDb('minimize')).toBe('MINIMIZE');
    expect(directionFromDb('MAXIMIZE')).toBe('maximize');
    expect(directionFromDb('MINIMIZE')).toBe('minimize');
  });

  it('attribute values survive value_json: plain JSON as JSON.stringify writes it, non-finite numbers as Python does', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(attrToJson(v as never)).toBe(JSON.stringify(v));
    }), { seed: 4 });
    expect(attrToJson([Number.NaN, -0] as never)).toBe('[NaN, -0.0]');
    expect(attrsFromRows([['a', '[NaN, -0.0]'], ['b', '"x"']])).toEqual({ a: [Number.NaN, -0], b: 'x' });
    expect(attrsFromRows(null)).toEqual({});
  });

  it('refuses names PostgreSQL would reject: a NUL anywhere, more than 512 characters (counted as characters, not UTF-16 units)', () => {
    expect(dbTextProblem('a\u0000b')).toMatch(/NUL character/);
    expect(dbTextProblem('x'.repeat(MAX_NAME_LENGTH))).toBeUndefined();
    expect(dbTextProblem('x'.repeat(MAX_NAME_LENGTH + 1))).toMatch(/is 513 characters long; Optuna's PostgreSQL schema holds at most 512/);
    // 512 emoji are 1024 UTF-16 units, and fit.
    expect(dbTextProblem('😀'.repeat(MAX_NAME_LENGTH))).toBeUndefined();
    expect(dbTextProblem('😀'.repeat(MAX_NAME_LENGTH + 1))).toMatch(/is 513 characters/);
    expect(() => checkDbText('study name', 'ok')).not.toThrow();
    expect(() => checkDbText('study name', `${'y'.repeat(70)}\u0000`)).toThrow(/^study name "y{60}…" contains the NUL character.*choose a shorter name without NUL characters$/);
  });
});
