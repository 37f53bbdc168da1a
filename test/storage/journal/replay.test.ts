import { describe, expect, it } from 'vitest';
import { Op } from '../../../src/storage/journal/format.js';
import { JournalReplay } from '../../../src/storage/journal/replay.js';

// Optuna 3.1's replay rules, one operation at a time (optuna/storages/_journal/storage.py): a journal
// written by another program, or damaged, must be read the way Optuna reads it or refused with the
// field named, never half-applied in a way Optuna would not.

const FLOAT = JSON.stringify({ name: 'FloatDistribution', attributes: { low: 0, high: 1, log: false, step: null } }); // Optuna stores distributions as JSON text
const T0 = '2026-12-04T10:00:00.000000';
const T1 = '2026-12-04T10:00:05.250000';

function replay(...ops: Record<string, unknown>[]): JournalReplay {
  const r = new JournalReplay();
  for (const op of ops) r.apply(op);
  return r;
}
const study = (name: string, directions: unknown = [1]) => ({ op_code: Op.CREATE_STUDY, worker_id: 'w', study_name: name, directions });
const trial = (studyId: number, extra: Record<string, unknown> = {}) => ({ op_code: Op.CREATE_TRIAL, worker_id: 'w', study_id: studyId, datetime_start: T0, ...extra });
const state = (trialId: number, code: number, extra: Record<string, unknown> = {}) => ({ op_code: Op.SET_TRIAL_STATE_VALUES, worker_id: 'w', trial_id: trialId, state: code, values: null, datetime_start: T0, datetime_complete: T1, ...extra });

describe('JournalReplay: Optuna’s rules', () => {
  it('gives study ids to successful CREATE_STUDY ops only: a duplicate name is ignored, a deleted name may return', () => {
    const r = replay(study('a'), study('a', [2]), study('b'), { op_code: Op.DELETE_STUDY, study_id: 0 }, study('a', [2]));
    expect(r.studies.map((s) => [s.name, s.directions, s.deleted])).toEqual([
      ['a', ['minimize'], true],
      ['b', ['minimize'], false],
      ['a', ['maximize'], false],
    ]);
    expect(r.live().map((s) => s.name)).toEqual(['b', 'a']);
    // Study id 1 is 'b' (the duplicate took no id).
    r.apply({ op_code: Op.SET_STUDY_USER_ATTR, study_id: 1, user_attr: { k: 1 } });
    expect(r.studies[1]?.userAttrs).toEqual({ k: 1 });
  });

  it('merges study attributes and ignores every op on a deleted study, including CREATE_TRIAL, which then takes no trial id', () => {
    const r = replay(study('a'), study('b'));
    r.apply({ op_code: Op.SET_STUDY_USER_ATTR, study_id: 0, user_attr: { x: 1 } });
    r.apply({ op_code: Op.SET_STUDY_USER_ATTR, study_id: 0, user_attr: { y: [2, 'z'] } });
    r.apply({ op_code: Op.SET_STUDY_SYSTEM_ATTR, study_id: 0, system_attr: { s: 'v' } });
    r.apply({ op_code: Op.DELETE_STUDY, study_id: 0 });
    r.apply({ op_code: Op.SET_STUDY_USER_ATTR, study_id: 0, user_attr: { after: true } });
    r.apply({ op_code: Op.SET_STUDY_SYSTEM_ATTR, study_id: 0, system_attr: { after: true } });
    r.apply(trial(0)); // ignored: no trial id
    r.apply(trial(1)); // trial id 0
    r.apply(state(0, 1, { values: [3] }));
    expect(r.studies[0]).toMatchObject({ userAttrs: { x: 1, y: [2, 'z'] }, systemAttrs: { s: 'v' }, trials: [] });
    expect(r.studies[1]?.trials).toHaveLength(1);
    expect(r.studies[1]?.trials[0]).toMatchObject({ state: 'COMPLETE', values: [3] });
    // A deleted study's trials are frozen too.
    const s = replay(study('a'), trial(0), { op_code: Op.DELETE_STUDY, study_id: 0 }, state(0, 1, { values: [1] }));
    expect(s.studies[0]?.trials[0]?.state).toBe('RUNNING');
    // An op on a study id never created is ignored, as Optuna's replay does.
    expect(() => replay(study('a'), { op_code: Op.SET_STUDY_USER_ATTR, study_id: 7, user_attr: { x: 1 } }, trial(9))).not.toThrow();
  });

  it('builds a trial from CREATE_TRIAL: params with their distributions, one value or several, RUNNING by default', () => {
    const r = replay(
      study('a'),
      trial(0, { params: { x: 0.25 }, distributions: { x: FLOAT }, intermediate_values: { '3': 0.5 }, user_attrs: { u: 1 }, system_attrs: { s: 2 } }),
      trial(0, { state: 1, value: 4, datetime_complete: T1 }),
      trial(0, { state: 1, values: [1, 2], value: 9, datetime_start: null }),
    );
    const [a, b, c] = r.studies[0]!.trials;
    expect(a).toMatchObject({ state: 'RUNNING', params: { x: 0.25 }, intermediateValues: { 3: 0.5 }, userAttrs: { u: 1 }, systemAttrs: { s: 2 }, values: undefined, datetimeComplete: undefined });
    expect(a?.distributions['x']).toMatchObject({ kind: 'float', low: 0, high: 1 });
    expect(a?.datetimeStart?.getTime()).toBe(new Date(2026, 11, 4, 10, 0, 0).getTime());
    expect(b).toMatchObject({ state: 'COMPLETE', values: [4] });
    expect(b?.datetimeComplete?.getTime()).toBe(new Date(2026, 11, 4, 10, 0, 5, 250).getTime());
    expect(c).toMatchObject({ values: [1, 2], datetimeStart: undefined });
  });

  it('applies trial ops to a running trial and ignores them once it is finished; RUNNING again changes nothing', () => {
    const r = replay(study('a'), trial(0, { datetime_start: null }));
    r.apply({ op_code: Op.SET_TRIAL_PARAM, trial_id: 0, param_name: 'x', param_value_internal: 0.5, distribution: FLOAT });
    r.apply({ op_code: Op.SET_TRIAL_INTERMEDIATE_VALUE, trial_id: 0, step: 2, intermediate_value: 0.75 });
    r.apply({ op_code: Op.SET_TRIAL_USER_ATTR, trial_id: 0, user_attr: { u: 'v' } });
    r.apply({ op_code: Op.SET_TRIAL_SYSTEM_ATTR, trial_id: 0, system_attr: { s: 1 } });
    r.apply(state(0, 0, { datetime_start: T0 })); // RUNNING → RUNNING: ignored, the start stays unset
    const t = r.studies[0]!.trials[0]!;
    expect(t.datetimeStart).toBeUndefined();
    r.apply(state(0, 2, { values: [0.1] })); // PRUNED with its value
    expect(t).toMatchObject({ state: 'PRUNED', values: [0.1], params: { x: 0.5 }, intermediateValues: { 2: 0.75 }, userAttrs: { u: 'v' }, systemAttrs: { s: 1 } });
    expect(t.datetimeComplete?.getTime()).toBe(new Date(2026, 11, 4, 10, 0, 5, 250).getTime());
    // Finished: every later op is ignored.
    r.apply({ op_code: Op.SET_TRIAL_PARAM, trial_id: 0, param_name: 'y', param_value_internal: 0.1, distribution: FLOAT });
    r.apply({ op_code: Op.SET_TRIAL_INTERMEDIATE_VALUE, trial_id: 0, step: 3, intermediate_value: 1 });
    r.apply({ op_code: Op.SET_TRIAL_USER_ATTR, trial_id: 0, user_attr: { late: 1 } });
    r.apply({ op_code: Op.SET_TRIAL_SYSTEM_ATTR, trial_id: 0, system_attr: { late: 1 } });
    r.apply(state(0, 1, { values: [9] }));
    expect(t).toMatchObject({ state: 'PRUNED', values: [0.1], params: { x: 0.5 }, intermediateValues: { 2: 0.75 }, userAttrs: { u: 'v' }, systemAttrs: { s: 1 } });
    // A WAITING trial set RUNNING gets its start time; a state without values keeps none.
    const w = replay(study('a'), trial(0, { state: 4, datetime_start: null }), state(0, 0, { datetime_start: T1 }));
    expect(w.studies[0]!.trials[0]).toMatchObject({ state: 'RUNNING', values: undefined });
    expect(w.studies[0]!.trials[0]!.datetimeStart?.getTime()).toBe(new Date(2026, 11, 4, 10, 0, 5, 250).getTime());
    // Ops on a trial id never created are ignored.
    expect(() => w.apply(state(5, 1))).not.toThrow();
  });
});

describe('JournalReplay: malformed operations are refused with the field named', () => {
  const base = (): JournalReplay => replay(study('a'), trial(0));
  it.each([
    ['a line that is not an object', null, /the line is not a JSON object/],
    ['an array', [1, 2], /the line is not a JSON object/],
    ['a number', 5, /the line is not a JSON object/],
    ['an unknown op code', { op_code: 42 }, /unknown op_code 42/],
    ['no op code', {}, /unknown op_code undefined/],
    ['directions that are not an array', study('b', 1), /CREATE_STUDY needs a directions array/],
    ['an unknown direction', study('b', [3]), /unknown study direction 3/],
    ['a study name that is not a string', { ...study('b'), study_name: 5 }, /'study_name' must be a string, got 5/],
    ['a study id that is not a number', { op_code: Op.DELETE_STUDY, study_id: '0' }, /'study_id' must be a number, got "0"/],
    ['a param without a distribution', trial(0, { params: { x: 0.5 } }), /param 'x' has no distribution/],
    ['a param value that is not a number', trial(0, { params: { x: '0.5' }, distributions: { x: FLOAT } }), /'params.x' must be a number, got "0.5"/],
    ['an intermediate value that is not a number', trial(0, { intermediate_values: { '1': 'nan' } }), /'intermediate_values.1' must be a number/],
    ['an unknown trial state at creation', trial(0, { state: 9 }), /unknown trial state 9/],
    ['values that are not an array', trial(0, { state: 1, values: 3 }), /'values' must be an array of numbers, got 3/],
    ['a value inside values that is not a number', trial(0, { state: 1, values: [1, 'x'] }), /'values\[1\]' must be a number, got "x"/],
    ['a single value that is not a number', trial(0, { state: 1, value: 'x' }), /'value' must be a number, got "x"/],
    ['a start that is not a date-time', trial(0, { datetime_start: 'yesterday' }), /"yesterday" is not an ISO date-time/],
    ['an unknown trial state later', state(0, 7), /unknown trial state 7/],
    ['a trial id that is not a number', state('0' as unknown as number, 1), /'trial_id' must be a number, got "0"/],
    ['a param name that is not a string', { op_code: Op.SET_TRIAL_PARAM, trial_id: 0, param_name: null, param_value_internal: 1, distribution: FLOAT }, /'param_name' must be a string, got null/],
    ['an internal param value that is not a number', { op_code: Op.SET_TRIAL_PARAM, trial_id: 0, param_name: 'x', param_value_internal: '1', distribution: FLOAT }, /'param_value_internal' must be a number/],
    ['a step that is not a number', { op_code: Op.SET_TRIAL_INTERMEDIATE_VALUE, trial_id: 0, step: '1', intermediate_value: 1 }, /'step' must be a number/],
    ['an intermediate value that is not a number, later', { op_code: Op.SET_TRIAL_INTERMEDIATE_VALUE, trial_id: 0, step: 1, intermediate_value: null }, /'intermediate_value' must be a number, got null/],
    ['user attrs that are null', { op_code: Op.SET_TRIAL_USER_ATTR, trial_id: 0, user_attr: null }, /'user_attr' must be an object, got null/],
    ['user attrs that are an array', { op_code: Op.SET_STUDY_USER_ATTR, study_id: 0, user_attr: [1] }, /'user_attr' must be an object, got \[1\]/],
    ['system attrs that are a string', { op_code: Op.SET_TRIAL_SYSTEM_ATTR, trial_id: 0, system_attr: 's' }, /'system_attr' must be an object, got "s"/],
    ['study system attrs that are a number', { op_code: Op.SET_STUDY_SYSTEM_ATTR, study_id: 0, system_attr: 1 }, /'system_attr' must be an object, got 1/],
  ])('%s', (_what, op, message) => {
    const r = base();
    const before = JSON.stringify(r.studies);
    expect(() => r.apply(op)).toThrow(message);
    // A refused op leaves no trace of itself (a created trial would have been appended whole).
    if (!(op !== null && typeof op === 'object' && 'op_code' in op && op.op_code === Op.CREATE_TRIAL)) expect(JSON.stringify(r.studies)).toBe(before);
  });

  it('checks a trial id’s type before looking the trial up, even for a finished trial', () => {
    const r = replay(study('a'), trial(0), state(0, 1, { values: [1] }));
    expect(() => r.apply({ op_code: Op.SET_TRIAL_USER_ATTR, trial_id: 'x' })).toThrow(/'trial_id' must be a number/);
  });
});
