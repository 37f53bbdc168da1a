import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directionCode, directionFromCode, fromPythonDatetime, Op, stateCode, stateFromCode, toPythonDatetime } from '../../../src/storage/journal/format.js';
import { parsePythonJson } from '../../../src/storage/journal/python-json.js';
import { journalText, journalTrialLine } from '../../../src/storage/journal/write.js';
import type { FrozenTrial } from '../../../src/trial/frozen-trial.js';

describe('journal format: codes and Python date-times', () => {
  it('maps directions and states to Optuna’s enum values and back, and nothing else', () => {
    expect([directionCode('minimize'), directionCode('maximize')]).toEqual([1, 2]);
    expect([directionFromCode(1), directionFromCode(2), directionFromCode(0), directionFromCode(3), directionFromCode('1')]).toEqual(['minimize', 'maximize', undefined, undefined, undefined]);
    for (const s of ['RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING'] as const) expect(stateFromCode(stateCode(s))).toBe(s);
    expect([stateCode('RUNNING'), stateCode('COMPLETE'), stateCode('PRUNED'), stateCode('FAIL'), stateCode('WAITING')]).toEqual([0, 1, 2, 3, 4]);
    expect(stateFromCode(5)).toBeUndefined();
    expect(stateFromCode('1')).toBeUndefined();
  });

  it('writes naive local times with microseconds, as Python’s isoformat, and reads them back to the millisecond', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(1971, 0, 1), max: new Date(2200, 0, 1), noInvalidDate: true }), (d) => {
        const text = toPythonDatetime(d);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
        expect(fromPythonDatetime(text).getTime()).toBe(d.getTime());
      }),
    );
    expect(toPythonDatetime(new Date(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02T03:04:05.006000');
  });

  it('reads the forms Python writes: no fraction, no seconds, a space, microseconds cut to milliseconds, and offsets', () => {
    const local = (...a: [number, number, number, number, number, number?, number?]) => new Date(...(a as [number, number, number, number, number, number, number])).getTime();
    expect(fromPythonDatetime('2026-12-04T10:20:30').getTime()).toBe(local(2026, 11, 4, 10, 20, 30, 0));
    expect(fromPythonDatetime('2026-12-04 10:20').getTime()).toBe(local(2026, 11, 4, 10, 20, 0, 0));
    expect(fromPythonDatetime('2026-12-04T10:20:30.123999').getTime()).toBe(local(2026, 11, 4, 10, 20, 30, 123));
    expect(fromPythonDatetime('2026-12-04T10:20:30.5').getTime()).toBe(local(2026, 11, 4, 10, 20, 30, 500));
    expect(fromPythonDatetime('2026-12-04T10:20:30Z').getTime()).toBe(Date.UTC(2026, 11, 4, 10, 20, 30));
    expect(fromPythonDatetime('2026-12-04T10:20:30.250000+05:30').getTime()).toBe(Date.UTC(2026, 11, 4, 4, 50, 30, 250));
    expect(fromPythonDatetime('2026-12-04T10:20:30-0100').getTime()).toBe(Date.UTC(2026, 11, 4, 11, 20, 30));
    expect(fromPythonDatetime('2026-12-04T10:20+02:00').getTime()).toBe(Date.UTC(2026, 11, 4, 8, 20, 0));
    for (const bad of ['', 'yesterday', '2026-12-04', '2026-12-04T10', '2026-12-04T10:20:30.1234567', ' 2026-12-04T10:20:30', '2026-12-04T10:20:30 ', '2026-12-04T10:20:30+5', 20261204, null, undefined]) {
      expect(() => fromPythonDatetime(bad), String(bad)).toThrow(/is not an ISO date-time/);
    }
  });
});

function frozen(over: Partial<FrozenTrial>): FrozenTrial {
  return {
    trialId: 't' as unknown as FrozenTrial['trialId'],
    number: 0,
    state: 'COMPLETE',
    value: 1,
    values: [1],
    params: {},
    internalParams: {},
    distributions: {},
    intermediateValues: {},
    userAttrs: {},
    systemAttrs: {},
    datetimeStart: new Date(2026, 11, 4, 10, 0, 0),
    datetimeComplete: new Date(2026, 11, 4, 10, 0, 1),
    durationMs: 1000,
    ...over,
  };
}

describe('journal writing', () => {
  const read = (t: FrozenTrial) => parsePythonJson(journalTrialLine(t)) as Record<string, unknown>;

  it('writes one value as value and several as values, as Optuna’s add_trial does', () => {
    expect(read(frozen({ values: [2.5] }))).toMatchObject({ op_code: Op.CREATE_TRIAL, worker_id: 'tunelab', study_id: 0, value: 2.5, values: null, state: 1 });
    expect(read(frozen({ values: [1, 2] }))).toMatchObject({ value: null, values: [1, 2] });
    expect(read(frozen({ state: 'RUNNING', values: undefined, datetimeComplete: undefined }))).toMatchObject({ value: null, values: null, state: 0 });
    expect(read(frozen({ state: 'RUNNING', values: undefined, datetimeComplete: undefined }))).not.toHaveProperty('datetime_complete');
    expect(read(frozen({ datetimeStart: undefined }))['datetime_start']).toBeNull();
    expect(read(frozen({}))['datetime_complete']).toBe('2026-12-04T10:00:01.000000');
  });

  it('adds Optuna’s names for the failure reason and for the fixed params of a waiting (enqueued) trial only', () => {
    const failed = read(frozen({ state: 'FAIL', values: undefined, systemAttrs: { failReason: 'boom' } }));
    expect(failed['system_attrs']).toEqual({ failReason: 'boom', fail_reason: 'boom' });
    const waiting = read(frozen({ state: 'WAITING', values: undefined, datetimeStart: undefined, datetimeComplete: undefined, systemAttrs: { fixedParams: { x: 1 } } }));
    expect(waiting['system_attrs']).toEqual({ fixedParams: { x: 1 }, fixed_params: { x: 1 } });
    // A trial that ran from fixed params keeps tunelab's key but is no longer told to Optuna as waiting for them.
    expect(read(frozen({ systemAttrs: { fixedParams: { x: 1 } } }))['system_attrs']).toEqual({ fixedParams: { x: 1 } });
    expect(read(frozen({}))['system_attrs']).toEqual({});
  });

  it('writes the study first, then its attributes one per line, then one line per trial', () => {
    const text = journalText({ name: 's', directions: ['maximize', 'minimize'], userAttrs: { a: 1, b: 'x' }, systemAttrs: { c: true }, trials: [frozen({}), frozen({ number: 1 })] });
    const lines = text.trimEnd().split('\n').map((l) => parsePythonJson(l) as Record<string, unknown>);
    expect(lines.map((l) => l['op_code'])).toEqual([Op.CREATE_STUDY, Op.SET_STUDY_USER_ATTR, Op.SET_STUDY_USER_ATTR, Op.SET_STUDY_SYSTEM_ATTR, Op.CREATE_TRIAL, Op.CREATE_TRIAL]);
    expect(lines[0]).toEqual({ op_code: Op.CREATE_STUDY, worker_id: 'tunelab', study_name: 's', directions: [2, 1] });
    expect(lines[1]).toMatchObject({ study_id: 0, user_attr: { a: 1 } });
    expect(lines[3]).toMatchObject({ study_id: 0, system_attr: { c: true } });
    expect(text.endsWith('\n')).toBe(true);
  });
});
