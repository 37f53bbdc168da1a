import { afterEach, describe, expect, it } from 'vitest';
import { StorageError, StudyExistsError, StudyNotFoundError, TrialFinishedError } from '../errors.js';
import type { Distribution } from '../trial/distributions.js';
import type { Storage } from '../storage/storage.js';
import type { FrozenTrial } from '../trial/frozen-trial.js';

export interface StorageConformanceOptions {
  /** Opens a new, empty storage. */
  readonly open: () => Promise<Storage>;
  /** Releases a storage the suite opened (close it, remove its files). */
  readonly cleanup?: (storage: Storage) => Promise<void>;
  /**
   * For persistent backends: closes the storage and opens the same store again, so that
   * round-trip checks read from disk (or the database), not from a cache.
   */
  readonly reopen?: (storage: Storage) => Promise<Storage>;
  /**
   * Whether the backend provides the synchronous twins of the trial calls (`storage.sync`): in-thread
   * storages do. Declared, not detected, so a backend that loses them fails instead of skipping.
   */
  readonly syncTwins?: boolean;
}

const X: Distribution = { kind: 'float', low: -1, high: 1, log: false, step: null };
const N: Distribution = { kind: 'int', low: -10, high: 1e9, log: false, step: 1 };
const C: Distribution = { kind: 'categorical', choices: ['a', 'ü', { deep: [1, null] }] };

/**
 * The checks every Storage must pass: studies (create, find, attributes, delete, duplicate
 * names), the trial life cycle, concurrent asks, exact round-trips of stored numbers and
 * attributes, NaN refused, ordering by number, and the state filter. Call it in a vitest file.
 */
export function storageConformance(name: string, options: StorageConformanceOptions): void {
  describe(`storage conformance: ${name}`, () => {
    let current: Storage | undefined;
    const open = async (): Promise<Storage> => (current = await options.open());
    const reopen = async (s: Storage): Promise<Storage> => (options.reopen ? (current = await options.reopen(s)) : s);
    afterEach(async () => {
      if (current) await options.cleanup?.(current);
      current = undefined;
    });

    it('creates studies, finds them by name, lists and deletes them', async () => {
      let s = await open();
      const a = await s.createStudy('alpha', ['minimize']);
      const b = await s.createStudy('β-study 🧪', ['maximize', 'minimize']);
      expect(a).not.toBe(b);
      await s.createTrial(b, { state: 'RUNNING' });
      s = await reopen(s);
      expect(await s.getStudyIdByName('alpha')).toBe(a);
      expect(await s.getStudyName(b)).toBe('β-study 🧪');
      expect(await s.getStudyDirections(b)).toEqual(['maximize', 'minimize']);
      const listed = await s.listStudies();
      expect(listed.map((x) => x.name).sort()).toEqual(['alpha', 'β-study 🧪'].sort());
      expect(listed.find((x) => x.name === 'β-study 🧪')?.nTrials).toBe(1);
      await s.deleteStudy(a);
      s = await reopen(s);
      await expect(s.getStudyIdByName('alpha')).rejects.toBeInstanceOf(StudyNotFoundError);
      expect((await s.listStudies()).map((x) => x.name)).toEqual(['β-study 🧪']);
      // The name is free again, and the new study starts empty.
      const again = await s.createStudy('alpha', ['minimize']);
      expect(await s.getAllTrials(again)).toEqual([]);
    });

    it('refuses a duplicate study name', async () => {
      const s = await open();
      await s.createStudy('dup', ['minimize']);
      await expect(s.createStudy('dup', ['maximize'])).rejects.toBeInstanceOf(StudyExistsError);
      expect((await s.listStudies()).filter((x) => x.name === 'dup')).toHaveLength(1);
    });

    it('keeps study user and system attributes', async () => {
      let s = await open();
      const id = await s.createStudy('attrs', ['minimize']);
      await s.setStudyUserAttr(id, 'owner', 'zoë');
      await s.setStudyUserAttr(id, 'config', { layers: [64, 32], dropout: 0.1, tags: ['a', 'b'] });
      await s.setStudySystemAttr(id, 'tunelab', { version: 1 });
      s = await reopen(s);
      const id2 = await s.getStudyIdByName('attrs');
      expect(await s.getStudyUserAttrs(id2)).toEqual({ owner: 'zoë', config: { layers: [64, 32], dropout: 0.1, tags: ['a', 'b'] } });
      expect(await s.getStudySystemAttrs(id2)).toEqual({ tunelab: { version: 1 } });
      expect((await s.listStudies())[0]?.userAttrs['owner']).toBe('zoë');
    });

    it('runs a trial through RUNNING → COMPLETE and then refuses changes of state or values', async () => {
      let s = await open();
      const study = await s.createStudy('life', ['minimize']);
      const t = await s.createTrial(study, { state: 'RUNNING' });
      expect(t.number).toBe(0);
      expect(t.state).toBe('RUNNING');
      expect(t.datetimeStart).toBeInstanceOf(Date);
      await s.updateTrial(t.trialId, { params: { x: { value: 0.5, distribution: X } }, intermediateValues: { 0: 3, 1: 2 }, userAttrs: { note: 'hi' } });
      await s.updateTrial(t.trialId, { state: 'COMPLETE', values: [1.25] });
      s = await reopen(s);
      const id = (await s.getAllTrials(await s.getStudyIdByName('life')))[0]?.trialId as FrozenTrial['trialId'];
      const done = await s.getTrial(id);
      expect(done.state).toBe('COMPLETE');
      expect(done.values).toEqual([1.25]);
      expect(done.value).toBe(1.25);
      expect(done.params).toEqual({ x: 0.5 });
      expect(done.distributions['x']).toEqual(X);
      expect(done.intermediateValues).toEqual({ 0: 3, 1: 2 });
      expect(done.userAttrs).toEqual({ note: 'hi' });
      expect(done.datetimeComplete).toBeInstanceOf(Date);
      await expect(s.updateTrial(id, { state: 'FAIL' })).rejects.toBeInstanceOf(TrialFinishedError);
      await expect(s.updateTrial(id, { values: [0] })).rejects.toBeInstanceOf(TrialFinishedError);
      expect((await s.getTrial(id)).values).toEqual([1.25]);
    });

    it('finishes trials as PRUNED and FAIL, and those refuse new states too', async () => {
      const s = await open();
      const study = await s.createStudy('ends', ['minimize']);
      const p = await s.createTrial(study, { state: 'RUNNING' });
      const f = await s.createTrial(study, { state: 'RUNNING' });
      await s.updateTrial(p.trialId, { state: 'PRUNED', values: [0.7], intermediateValues: { 3: 0.7 } });
      await s.updateTrial(f.trialId, { state: 'FAIL', systemAttrs: { failReason: 'boom' } });
      expect((await s.getTrial(p.trialId)).state).toBe('PRUNED');
      expect((await s.getTrial(f.trialId)).systemAttrs['failReason']).toBe('boom');
      await expect(s.updateTrial(p.trialId, { state: 'COMPLETE', values: [1] })).rejects.toBeInstanceOf(TrialFinishedError);
      await expect(s.updateTrial(f.trialId, { state: 'RUNNING' })).rejects.toBeInstanceOf(TrialFinishedError);
    });

    it('hands each WAITING trial to exactly one of many concurrent claims, oldest first', async () => {
      const s = await open();
      const study = await s.createStudy('queue', ['minimize']);
      await s.createTrial(study, { state: 'WAITING', systemAttrs: { fixedParams: { x: 1 } } });
      await s.createTrial(study, { state: 'RUNNING' });
      await s.createTrial(study, { state: 'WAITING', systemAttrs: { fixedParams: { x: 2 } } });
      await s.createTrial(study, { state: 'WAITING', systemAttrs: { fixedParams: { x: 3 } } });
      const first = await s.claimWaitingTrial(study);
      expect(first?.number).toBe(0);
      expect(first?.systemAttrs['fixedParams']).toEqual({ x: 1 });
      const claims = await Promise.all(Array.from({ length: 6 }, () => s.claimWaitingTrial(study)));
      const got = claims.filter((c): c is FrozenTrial => c !== undefined);
      expect(got.map((c) => c.number).sort()).toEqual([2, 3]);
      for (const c of [first, ...got]) expect(c?.state).toBe('RUNNING');
      expect(await s.claimWaitingTrial(study)).toBeUndefined();
      expect((await s.getAllTrials(study, { states: ['WAITING'] })).length).toBe(0);
    });

    it('gives many concurrent createTrial calls unique, gap-free numbers, listed in order', async () => {
      let s = await open();
      const study = await s.createStudy('concurrent', ['minimize']);
      const made = await Promise.all(Array.from({ length: 64 }, () => s.createTrial(study, { state: 'RUNNING' })));
      expect(made.map((t) => t.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
      expect(new Set(made.map((t) => t.trialId)).size).toBe(64);
      await Promise.all(made.map((t, i) => s.updateTrial(t.trialId, { state: 'COMPLETE', values: [i] })));
      s = await reopen(s);
      const all = await s.getAllTrials(await s.getStudyIdByName('concurrent'));
      expect(all.map((t) => t.number)).toEqual(Array.from({ length: 64 }, (_, i) => i));
      for (const t of all) expect(t.values).toEqual([made.findIndex((m) => m.number === t.number)]);
    });

    it('round-trips stored numbers and attributes exactly', async () => {
      let s = await open();
      const study = await s.createStudy('exact', ['minimize', 'maximize']);
      const numbers = [-0, 1e-300, 5e-324, -5e-324, 2 ** 53 - 1, -(2 ** 53), 1.7976931348623157e308, 0.1 + 0.2, Infinity, -Infinity];
      const attrs = {
        text: 'ünïcödé 漢字 😀 \u2028 "quoted" \\ back',
        nested: { a: [1, { b: null, c: [true, false] }], empty: {}, list: [] },
        big: 2 ** 53 - 1,
        tiny: 5e-324,
        '键 with spaces': 'x',
      };
      const ids: FrozenTrial['trialId'][] = [];
      for (const v of numbers) {
        const t = await s.createTrial(study, { state: 'RUNNING', userAttrs: attrs });
        ids.push(t.trialId);
        const params = Number.isFinite(v) && Math.abs(v) <= 1 ? { x: { value: v, distribution: X } } : {};
        await s.updateTrial(t.trialId, {
          params: { ...params, n: { value: 123456789, distribution: N }, c: { value: 2, distribution: C } },
          intermediateValues: { 0: v, 7: Number.NaN, 1000000: -0 },
          state: 'COMPLETE',
          values: [v, -v],
        });
      }
      s = await reopen(s);
      const all = await s.getAllTrials(await s.getStudyIdByName('exact'));
      expect(all).toHaveLength(numbers.length);
      all.forEach((t, i) => {
        const v = numbers[i] as number;
        expect(Object.is(t.values?.[0], v)).toBe(true);
        expect(Object.is(t.values?.[1], -v)).toBe(true);
        expect(Object.is(t.intermediateValues[0], v)).toBe(true);
        expect(Number.isNaN(t.intermediateValues[7])).toBe(true);
        expect(Object.is(t.intermediateValues[1000000], -0)).toBe(true);
        if (Number.isFinite(v) && Math.abs(v) <= 1) expect(Object.is(t.params['x'], v)).toBe(true);
        expect(t.params['n']).toBe(123456789);
        expect(t.params['c']).toEqual({ deep: [1, null] });
        expect(t.userAttrs).toEqual(attrs);
      });
    });

    it('refuses NaN in objective values and params with a StorageError naming the value', async () => {
      const s = await open();
      const study = await s.createStudy('nan', ['minimize']);
      const t = await s.createTrial(study, { state: 'RUNNING' });
      await expect(s.updateTrial(t.trialId, { state: 'COMPLETE', values: [Number.NaN] })).rejects.toThrow(StorageError);
      await expect(s.updateTrial(t.trialId, { state: 'COMPLETE', values: [Number.NaN] })).rejects.toThrow(/values\[0\] is NaN/);
      await expect(s.updateTrial(t.trialId, { params: { x: { value: Number.NaN, distribution: X } } })).rejects.toThrow(/param 'x' is NaN/);
      const after = await s.getTrial(t.trialId);
      expect(after.state).toBe('RUNNING');
      expect(after.params).toEqual({});
    });

    it('filters trials by state and keeps them ordered by number', async () => {
      const s = await open();
      const study = await s.createStudy('filter', ['minimize']);
      const states = ['COMPLETE', 'FAIL', 'RUNNING', 'PRUNED', 'COMPLETE', 'WAITING'] as const;
      for (const state of states) {
        const t = await s.createTrial(study, { state: state === 'WAITING' ? 'WAITING' : 'RUNNING' });
        if (state !== 'RUNNING' && state !== 'WAITING') await s.updateTrial(t.trialId, { state, ...(state === 'COMPLETE' && { values: [t.number] }) });
      }
      expect((await s.getAllTrials(study, { states: ['COMPLETE'] })).map((t) => t.number)).toEqual([0, 4]);
      expect((await s.getAllTrials(study, { states: ['FAIL', 'PRUNED'] })).map((t) => t.number)).toEqual([1, 3]);
      expect((await s.getAllTrials(study, { states: ['WAITING', 'RUNNING'] })).map((t) => t.number)).toEqual([2, 5]);
      expect((await s.getAllTrials(study)).map((t) => t.state)).toEqual(states);
    });

    it(`${options.syncTwins === true ? 'has' : 'has no'} synchronous twins of the trial calls, as declared`, async () => {
      const s = await open();
      expect(s.sync !== undefined).toBe(options.syncTwins === true);
    });

    // Optional: only in-thread storages provide them.
    it.skipIf(options.syncTwins !== true)('answers the synchronous twins as the async calls (results, numbers, errors)', async () => {
      const s = await open();
      const sync = s.sync;
      if (sync === undefined) throw new Error(`${name} declares syncTwins but has no storage.sync`);
      const study = await s.createStudy('sync', ['minimize']);
      await s.createTrial(study, { state: 'WAITING', systemAttrs: { fixedParams: { x: 0.25 } } });
      const claimed = sync.claimWaitingTrial(study);
      expect(claimed?.number).toBe(0);
      expect(claimed?.state).toBe('RUNNING');
      expect(claimed?.systemAttrs['fixedParams']).toEqual({ x: 0.25 });
      expect(sync.claimWaitingTrial(study)).toBeUndefined();
      const attrs = { tags: ['a'] };
      const t = sync.createTrial(study, { state: 'RUNNING', userAttrs: attrs });
      attrs.tags.push('b');
      expect(t.number).toBe(1);
      expect((await s.createTrial(study, { state: 'RUNNING' })).number).toBe(2);
      sync.updateTrial(t.trialId, { params: { x: { value: -0.5, distribution: X } }, state: 'COMPLETE', values: [2] });
      const done = await s.getTrial(t.trialId);
      expect(done.params).toEqual({ x: -0.5 });
      expect(done.values).toEqual([2]);
      expect(done.userAttrs).toEqual({ tags: ['a'] });
      expect(() => sync.updateTrial(t.trialId, { state: 'FAIL' })).toThrow(TrialFinishedError);
      expect(() => sync.updateTrial((claimed as FrozenTrial).trialId, { state: 'COMPLETE', values: [Number.NaN] })).toThrow(/values\[0\] is NaN/);
      expect((await s.getTrial((claimed as FrozenTrial).trialId)).state).toBe('RUNNING');
    });

    it('startTrialWithin, if it has it: many concurrent calls start exactly the total, WAITING trials first, FAIL not counted', async (ctx) => {
      const s = await open();
      // Optional in the Storage contract: a storage without it is skipped here, visibly.
      if (s.startTrialWithin === undefined) ctx.skip();
      const study = await s.createStudy('budget', ['minimize']);
      const failed = await s.createTrial(study, { state: 'RUNNING' });
      await s.updateTrial(failed.trialId, { state: 'FAIL' });
      await s.createTrial(study, { state: 'WAITING', systemAttrs: { fixedParams: { x: 0.5 } } });
      const limit = { total: 12, states: ['COMPLETE', 'PRUNED', 'RUNNING'] } as const;
      const started = await Promise.all(Array.from({ length: 20 }, () => s.startTrialWithin?.(study, limit)));
      const got = started.filter((t): t is FrozenTrial => t !== undefined);
      expect(got).toHaveLength(12);
      expect(got.every((t) => t.state === 'RUNNING')).toBe(true);
      expect(got.map((t) => t.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(await s.startTrialWithin?.(study, limit)).toBeUndefined();
      await s.updateTrial((got[0] as FrozenTrial).trialId, { state: 'FAIL' });
      expect((await s.startTrialWithin?.(study, limit))?.number).toBe(13);
    });

    it('keeps a given start time, and gives a trial no later change than its caller made', async () => {
      const s = await open();
      const study = await s.createStudy('times', ['minimize']);
      const start = new Date('2024-02-29T12:34:56.789Z');
      const t = await s.createTrial(study, { state: 'RUNNING', datetimeStart: start });
      expect(t.datetimeStart?.getTime()).toBe(start.getTime());
      const attrs = { list: [1, 2] };
      await s.updateTrial(t.trialId, { userAttrs: attrs });
      attrs.list.push(3);
      expect((await s.getTrial(t.trialId)).userAttrs).toEqual({ list: [1, 2] });
    });
  });
}
