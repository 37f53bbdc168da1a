// exportJournal → importJournal must bring back every field of every trial, for any study: states,
// several objectives, fail reasons, WAITING trials with fixed parameters, datetimes, attributes of the
// study and of its trials. A property over generated studies, on the in-memory storage.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJournal } from '../../../src/storage/journal/export.js';
import { importJournal } from '../../../src/storage/journal/import.js';
import { InMemoryStorage } from '../../../src/storage/memory.js';
import type { Storage } from '../../../src/storage/storage.js';
import type { FrozenTrial } from '../../../src/trial/frozen-trial.js';
import { removeDir, tempDir } from '../level/helpers.js';

interface GenTrial {
  state: 'COMPLETE' | 'PRUNED' | 'FAIL' | 'WAITING' | 'RUNNING';
  x: number;
  k: number;
  values: number[];
  steps: [number, number][];
  userAttrs: Record<string, string | number>;
  failReason: string | undefined;
}

const genTrial = (objectives: number): fc.Arbitrary<GenTrial> =>
  fc.record({
    state: fc.constantFrom('COMPLETE', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING', 'RUNNING' as const),
    x: fc.double({ min: -1, max: 1, noNaN: true }),
    k: fc.integer({ min: 1, max: 9 }),
    values: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: objectives, maxLength: objectives }),
    steps: fc.array(fc.tuple(fc.nat({ max: 50 }), fc.double({ noNaN: true, noDefaultInfinity: true })), { maxLength: 3 }),
    userAttrs: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 2 }),
    failReason: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  });

const genStudy = fc.integer({ min: 1, max: 2 }).chain((objectives) =>
  fc.record({
    directions: fc.array(fc.constantFrom('minimize', 'maximize' as const), { minLength: objectives, maxLength: objectives }),
    userAttrs: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 3 }),
    systemAttrs: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 2 }),
    trials: fc.array(genTrial(objectives), { maxLength: 6 }),
  }),
);

const FLOAT = { kind: 'float', low: -1, high: 1, log: false, step: null } as const;
const INT = { kind: 'int', low: 1, high: 9, log: false, step: 1 } as const;

type GenStudy = typeof genStudy extends fc.Arbitrary<infer T> ? T : never;

async function fill(storage: Storage, name: string, s: GenStudy): Promise<void> {
  const studyId = await storage.createStudy(name, s.directions);
  for (const [k, v] of Object.entries(s.userAttrs)) await storage.setStudyUserAttr(studyId, k, v);
  for (const [k, v] of Object.entries(s.systemAttrs)) await storage.setStudySystemAttr(studyId, k, v);
  for (const g of s.trials) {
    if (g.state === 'WAITING') {
      // An enqueued trial: its fixed parameters wait in a system attribute, as Optuna's enqueue_trial keeps them.
      await storage.createTrial(studyId, { state: 'WAITING', systemAttrs: { fixedParams: { x: g.x, k: g.k } } });
      continue;
    }
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    await storage.updateTrial(t.trialId, {
      params: { x: { value: g.x, distribution: FLOAT }, k: { value: g.k, distribution: INT } },
      intermediateValues: Object.fromEntries(g.steps),
      userAttrs: g.userAttrs,
      ...(g.state === 'FAIL' && g.failReason !== undefined ? { systemAttrs: { failReason: g.failReason } } : {}),
    });
    if (g.state === 'RUNNING') continue;
    await storage.updateTrial(t.trialId, { state: g.state, ...(g.state === 'COMPLETE' ? { values: g.values } : {}) });
  }
}

/** What a journal must carry: the trial as Optuna would read it (datetimes to the microsecond Python keeps). */
function essence(t: FrozenTrial): unknown {
  return {
    number: t.number,
    state: t.state,
    values: t.values,
    params: t.params,
    distributions: t.distributions,
    intermediateValues: t.intermediateValues,
    userAttrs: t.userAttrs,
    failReason: t.systemAttrs['failReason'],
    fixedParams: t.state === 'WAITING' ? t.systemAttrs['fixedParams'] : undefined,
    datetimeStart: t.datetimeStart?.getTime(),
    datetimeComplete: t.datetimeComplete?.getTime(),
  };
}

describe('exportJournal → importJournal', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('tunelab-journal-roundtrip-');
  });
  afterAll(async () => removeDir(dir));

  it('brings back every trial field and study attribute of generated studies (property)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(genStudy, async (s) => {
        const name = `s${n++}`;
        const source = new InMemoryStorage();
        await fill(source, name, s);
        const sourceId = await source.getStudyIdByName(name);
        const file = await exportJournal(source, sourceId, join(dir, `${name}.journal`));
        const target = new InMemoryStorage();
        // A RUNNING trial in an export is one the exporting process did not finish: it comes back FAIL.
        expect(await importJournal(file, target)).toEqual([name]);
        const id = await target.getStudyIdByName(name);
        expect(await target.getStudyDirections(id)).toEqual(s.directions);
        expect(await target.getStudyUserAttrs(id)).toEqual(s.userAttrs);
        expect(await target.getStudySystemAttrs(id)).toMatchObject(s.systemAttrs);
        const before = (await source.getAllTrials(sourceId)).map(essence) as Record<string, unknown>[];
        const after = (await target.getAllTrials(id)).map(essence) as Record<string, unknown>[];
        expect(after).toHaveLength(before.length);
        after.forEach((a, i) => {
          const b = before[i] as Record<string, unknown>;
          if (b['state'] === 'RUNNING') {
            expect(a['state']).toBe('FAIL');
            expect({ ...a, state: 'RUNNING', failReason: undefined, datetimeComplete: undefined }).toEqual({ ...b, datetimeComplete: undefined });
          } else {
            expect(a).toEqual(b);
          }
        });
      }),
      { seed: 20261204, numRuns: 60 },
    );
  });
});
