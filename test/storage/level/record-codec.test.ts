import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../../src/errors.js';
import { decodeJson, decodeTrial, encodeJson, encodeTrial, trialKey, trialRange } from '../../../src/storage/level/record-codec.js';
import type { TrialRecord } from '../../../src/storage/trial-record.js';
import type { TrialId } from '../../../src/trial/frozen-trial.js';

// The numbers JSON loses, which trial records must keep bit for bit.
const anyNumber = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0));
const attr = fc.oneof(fc.jsonValue(), anyNumber, fc.array(anyNumber, { maxLength: 3 }));
const record: fc.Arbitrary<TrialRecord> = fc.record({
  trialId: fc.nat().map((n) => n as unknown as TrialId),
  number: fc.nat(),
  state: fc.constantFrom('RUNNING', 'WAITING', 'COMPLETE', 'PRUNED', 'FAIL' as const),
  values: fc.option(fc.array(anyNumber, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  params: fc.dictionary(fc.string({ minLength: 1 }), anyNumber, { maxKeys: 4 }),
  distributions: fc.constant({}),
  intermediateValues: fc.dictionary(fc.nat({ max: 1000 }).map(String), anyNumber, { maxKeys: 4 }) as fc.Arbitrary<Record<number, number>>,
  userAttrs: fc.dictionary(fc.string(), attr, { maxKeys: 3 }),
  systemAttrs: fc.dictionary(fc.string(), attr, { maxKeys: 3 }),
  datetimeStart: fc.option(fc.nat(), { nil: undefined }),
  datetimeComplete: fc.option(fc.nat(), { nil: undefined }),
}) as fc.Arbitrary<TrialRecord>;

describe('LevelDB trial record codec', () => {
  it('decodes what it encodes, field for field, with NaN, ±Infinity and -0 in values, params, steps and attributes', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(decodeTrial(encodeTrial(r), 'k')).toEqual(r);
      }),
      { seed: 20261204, numRuns: 400 },
    );
  });

  it('writes plain JSON unless an attribute holds a number JSON would lose', () => {
    expect(encodeJson({ a: 1 }, { x: 1 })).toBe('{"a":1}');
    expect(encodeJson({ a: 1, x: Number.NaN }, { x: Number.NaN })).toBe('{"a": 1, "x": NaN}');
    expect(decodeJson('{"a": 1, "x": NaN}')).toEqual({ a: 1, x: Number.NaN });
    // Special numbers in values and params are tagged strings, so the record itself stays plain JSON.
    const r: TrialRecord = { trialId: 1 as unknown as TrialId, number: 0, state: 'COMPLETE', values: [-0, Infinity], params: { x: Number.NaN }, distributions: {}, intermediateValues: { 3: -Infinity }, userAttrs: {}, systemAttrs: {}, datetimeStart: undefined, datetimeComplete: 5 };
    const text = encodeTrial(r);
    expect(JSON.parse(text)).toMatchObject({ values: ['-0', 'Infinity'], params: { x: 'NaN' }, intermediateValues: { 3: '-Infinity' }, datetimeStart: null, datetimeComplete: 5 });
  });

  it('names the damaged field and the fix when a stored record is not what it wrote', () => {
    expect(() => decodeTrial('{not json', 't:1:2')).toThrow(StorageError);
    expect(() => decodeTrial('{not json', 't:1:2')).toThrow(/stored trial record 't:1:2' is not valid JSON; restore the study from a backup \(restoreStudy\)/);
    const base = { trialId: 1, number: 0, state: 'COMPLETE', values: [1], params: { x: 1 }, distributions: {}, intermediateValues: {}, userAttrs: {}, systemAttrs: {}, datetimeStart: null, datetimeComplete: null };
    expect(() => decodeTrial(JSON.stringify({ ...base, values: ['oops'] }), 'k')).toThrow(/k values\[0\] holds "oops", not a number/);
    expect(() => decodeTrial(JSON.stringify({ ...base, params: { x: 'Inf' } }), 'k')).toThrow(/k param x holds "Inf", not a number/);
    expect(() => decodeTrial(JSON.stringify({ ...base, intermediateValues: { 2: null } }), 'k')).toThrow(/k step 2 holds null, not a number/);
  });

  it('keys sort trials by study and number, inside the study’s range', () => {
    const studies = [1, 2, 10].map((n) => n as never);
    for (const s of studies) {
      const range = trialRange(s);
      const keys = [0, 1, 2, 9, 10, 100, 12345].map((n) => trialKey(s, n));
      expect([...keys].sort()).toEqual(keys);
      for (const k of keys) expect(k > range.gt && k < range.lt).toBe(true);
      for (const other of studies.filter((o) => o !== s)) expect(trialKey(other, 0) > range.gt && trialKey(other, 0) < range.lt).toBe(false);
    }
  });
});
