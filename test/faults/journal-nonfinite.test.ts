// Issue 14, item 1: NaN, ±Infinity and -0 in values, intermediate values and attributes must
// survive every way a study leaves and re-enters tunelab: backup → restoreStudy, exportJournal →
// importJournal, a LevelDB reopen, and Python Optuna 3.1 reading what tunelab wrote (and back).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalFormatError } from '../../src/errors.js';
import { importJournal, restoreStudy } from '../../src/storage/journal/import.js';
import { parsePythonJson, toPythonJson } from '../../src/storage/journal/python-json.js';
import { LevelStorage } from '../../src/storage/level/level-storage.js';
import { InMemoryStorage } from '../../src/storage/memory.js';
import type { Storage } from '../../src/storage/storage.js';
import { createStudy } from '../../src/study/create.js';
import type { FrozenTrial } from '../../src/trial/frozen-trial.js';
import { removeDir, tempDir } from '../storage/level/helpers.js';
import { optunaMissing, runPython } from '../storage/journal/python.js';
import { requireOrSkip } from '../helpers/require.js';

const missing = optunaMissing();
if (missing) console.warn(`skipping the Python half of the non-finite journal tests: ${missing}`);

/** What must come back unchanged: every number compared with Object.is (toStrictEqual does). */
function essence(t: FrozenTrial): unknown {
  return { number: t.number, state: t.state, values: t.values, params: t.params, intermediateValues: t.intermediateValues, userAttrs: t.userAttrs };
}

async function trialsOf(storage: Storage, name: string): Promise<unknown[]> {
  const id = await storage.getStudyIdByName(name);
  return (await storage.getAllTrials(id)).map(essence);
}

/**
 * A study holding every special number a storage keeps: ±Infinity and -0 as values (tell() fails a
 * non-finite result, but Optuna stores ±Infinity, and journals from Python carry them), NaN too
 * as intermediate values, -0 in attributes (setUserAttr refuses NaN; Python journals bring it in).
 */
async function fillSpecialStudy(storage: Storage, name: string): Promise<void> {
  const studyId = await storage.createStudy(name, ['minimize']);
  for (const value of [Infinity, -Infinity, -0, 0.1]) {
    const t = await storage.createTrial(studyId, { state: 'RUNNING' });
    await storage.updateTrial(t.trialId, {
      params: { x: { value: -0, distribution: { kind: 'float', low: -1, high: 1, log: false, step: null } } },
      intermediateValues: { 0: NaN, 1: Infinity, 2: -Infinity, 3: -0 },
      userAttrs: { negativeZero: -0, nested: { list: [-0, 1.5] } },
    });
    await storage.updateTrial(t.trialId, { state: 'COMPLETE', values: [value] });
  }
}

describe('journals with NaN, ±Infinity and -0 (issue 14 item 1)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('tunelab-faults-nonfinite-');
  });
  afterAll(async () => removeDir(dir));

  it('parsePythonJson reads every special number wherever Python writes it (property)', () => {
    const special = fc.constantFrom(NaN, Infinity, -Infinity, -0);
    const leaf = fc.oneof(special, fc.double(), fc.string(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4, noNullPrototype: true })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(parsePythonJson(toPythonJson(v))).toStrictEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it('a LevelDB study round-trips through a reopen, backup → restoreStudy, and exportJournal → importJournal', async () => {
    const levelDir = join(dir, 'level');
    let level = await LevelStorage.open(levelDir, { backupEvery: 0 });
    await fillSpecialStudy(level, 'specials');
    const original = await trialsOf(level, 'specials');
    expect(original).toHaveLength(4);
    const backup = (await level.backupNow('specials')) as string;
    await level.close();
    level = await LevelStorage.open(levelDir, { backupEvery: 0 });
    expect(await trialsOf(level, 'specials')).toStrictEqual(original);

    const restored = new InMemoryStorage();
    expect(await restoreStudy(backup, restored)).toBe('specials');
    expect(await trialsOf(restored, 'specials')).toStrictEqual(original);

    const study = await createStudy({ name: 'specials', storage: level, loadIfExists: true });
    const exported = await study.exportJournal(join(dir, 'specials.journal'));
    const imported = await LevelStorage.open(join(dir, 'imported'), { backupEvery: 0 });
    expect(await importJournal(exported, imported)).toEqual(['specials']);
    expect(await trialsOf(imported, 'specials')).toStrictEqual(original);
    await imported.close();
    await level.close();
  });

  it('a damaged line names the line; only a bad last line is blamed on a file cut short', async () => {
    const storage = new InMemoryStorage();
    await fillSpecialStudy(storage, 'damaged');
    const study = await createStudy({ name: 'damaged', storage, loadIfExists: true });
    const lines = (await readFile(await study.exportJournal(join(dir, 'damaged.journal')), 'utf8')).trimEnd().split('\n');
    const middle = join(dir, 'middle.journal');
    await writeFile(middle, [...lines.slice(0, 2), '{"op_code": 4, "study_id": 0, "state": 1, "value": NaN, "values": null', ...lines.slice(2)].join('\n') + '\n');
    const inMiddle = await importJournal(middle, new InMemoryStorage(), { rename: { damaged: 'm' } }).catch((e: unknown) => e);
    expect(inMiddle).toBeInstanceOf(JournalFormatError);
    expect((inMiddle as JournalFormatError).line).toBe(3);
    expect((inMiddle as Error).message).not.toMatch(/cut short/);
    const cut = join(dir, 'cut.journal');
    await writeFile(cut, `${lines.join('\n')}\n${(lines[1] as string).slice(0, 40)}`);
    const atEnd = await importJournal(cut, new InMemoryStorage()).catch((e: unknown) => e);
    expect((atEnd as JournalFormatError).line).toBe(lines.length + 1);
    expect((atEnd as Error).message).toMatch(/cut short/);
  });

  const PYTHON_READS = `
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
study = optuna.load_study(study_name=sys.argv[2], storage=storage)
def enc(x):
    if isinstance(x, float): return repr(x)
    if isinstance(x, dict): return {k: enc(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)): return [enc(v) for v in x]
    return x
print(json.dumps({"study_user_attrs": enc(study.user_attrs), "trials": [{
  "state": t.state.name, "values": enc(t.values), "intermediate": {str(k): enc(v) for k, v in t.intermediate_values.items()},
  "user_attrs": enc(t.user_attrs), "system_attrs": enc({k: v for k, v in t.system_attrs.items() if k.startswith("py_")}),
} for t in study.trials]}))
`;

  const PYTHON_WRITES = `
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
study = optuna.create_study(study_name="py-specials", storage=storage)
study.set_user_attr("study_nan", float("nan"))
study.set_user_attr("study_list", [float("inf"), -0.0])
for v in [float("inf"), float("-inf"), -0.0]:
    t = study.ask()
    t.suggest_float("x", -1, 1)
    for step, iv in enumerate([float("nan"), float("inf"), float("-inf"), -0.0]):
        t.report(iv, step)
    t.set_user_attr("nan", float("nan"))
    t.set_user_attr("inf", float("inf"))
    t.set_user_attr("ninf", float("-inf"))
    t.set_user_attr("nz", -0.0)
    t.set_user_attr("nested", {"a": [float("nan"), {"b": float("-inf")}]})
    t.set_system_attr("py_nan", float("nan"))
    study.tell(t, v)
print(json.dumps({"ok": True}))
`;

  const py = (x: number): string => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : Object.is(x, -0) ? '-0.0' : String(x));

  it.skipIf(requireOrSkip(missing))('Python Optuna 3.1 loads what tunelab exports, specials intact', async () => {
    const storage = new InMemoryStorage();
    await fillSpecialStudy(storage, 'to-python');
    const study = await createStudy({ name: 'to-python', storage, loadIfExists: true });
    const file = await study.exportJournal(join(dir, 'to-python.journal'));
    const got = runPython(PYTHON_READS, [file, 'to-python']) as { trials: { state: string; values: string[]; intermediate: Record<string, string>; user_attrs: Record<string, unknown> }[] };
    expect(got.trials.map((t) => t.values)).toEqual([['inf'], ['-inf'], ['-0.0'], ['0.1']]);
    for (const t of got.trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.intermediate).toEqual({ 0: 'nan', 1: 'inf', 2: '-inf', 3: '-0.0' });
      expect(t.user_attrs).toEqual({ negativeZero: '-0.0', nested: { list: ['-0.0', '1.5'] } });
    }
  });

  it.skipIf(requireOrSkip(missing))('a journal Python Optuna wrote with specials imports into LevelDB, survives reopen and backup, and goes back to Python unchanged', async () => {
    const file = join(dir, 'py-specials.journal');
    runPython(PYTHON_WRITES, [file]);
    const levelDir = join(dir, 'from-python');
    let level = await LevelStorage.open(levelDir, { backupEvery: 0 });
    expect(await importJournal(file, level)).toEqual(['py-specials']);
    await level.close();
    level = await LevelStorage.open(levelDir, { backupEvery: 0 });
    const trials = await level.getAllTrials(await level.getStudyIdByName('py-specials'));
    expect(trials.map((t) => t.values)).toStrictEqual([[Infinity], [-Infinity], [-0]]);
    for (const t of trials) {
      expect(t.intermediateValues).toStrictEqual({ 0: NaN, 1: Infinity, 2: -Infinity, 3: -0 });
      expect(t.userAttrs).toStrictEqual({ nan: NaN, inf: Infinity, ninf: -Infinity, nz: -0, nested: { a: [NaN, { b: -Infinity }] } });
      expect(t.systemAttrs['py_nan']).toBeNaN();
    }
    const studyAttrs = await level.getStudyUserAttrs(await level.getStudyIdByName('py-specials'));
    expect(studyAttrs).toStrictEqual({ study_nan: NaN, study_list: [Infinity, -0] });

    // Backup → restore into another LevelDB directory, then back out to Python.
    const backup = (await level.backupNow('py-specials')) as string;
    const second = await LevelStorage.open(join(dir, 'from-python-restored'), { backupEvery: 0 });
    await restoreStudy(backup, second, { as: 'again' });
    expect(await trialsOf(second, 'again')).toStrictEqual(await trialsOf(level, 'py-specials'));
    const study = await createStudy({ name: 'again', storage: second, loadIfExists: true });
    const out = await study.exportJournal(join(dir, 'back-to-python.journal'));
    const got = runPython(PYTHON_READS, [out, 'again']) as { study_user_attrs: unknown; trials: { values: string[]; intermediate: Record<string, string>; user_attrs: unknown; system_attrs: unknown }[] };
    expect(got.study_user_attrs).toEqual({ study_nan: 'nan', study_list: ['inf', '-0.0'] });
    expect(got.trials.map((t) => t.values)).toEqual([Infinity, -Infinity, -0].map((v) => [py(v)]));
    for (const t of got.trials) {
      expect(t.intermediate).toEqual({ 0: 'nan', 1: 'inf', 2: '-inf', 3: '-0.0' });
      expect(t.user_attrs).toEqual({ nan: 'nan', inf: 'inf', ninf: '-inf', nz: '-0.0', nested: { a: ['nan', { b: '-inf' }] } });
      expect(t.system_attrs).toEqual({ py_nan: 'nan' });
    }
    await second.close();
    await level.close();
  });
});
