import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalFormatError, TrialPruned } from '../../../src/errors.js';
import { RandomSampler } from '../../../src/search/samplers/random.js';
import { TPESampler } from '../../../src/search/samplers/tpe/sampler.js';
import { importJournal } from '../../../src/storage/journal/import.js';
import { InMemoryStorage } from '../../../src/storage/memory.js';
import { createStudy, loadStudy } from '../../../src/study/create.js';
import type { Trial } from '../../../src/trial/trial.js';
import { removeDir, tempDir } from '../level/helpers.js';
import { optunaMissing, runPython } from './python.js';
import { requireOrSkip } from '../../helpers/require.js';

const missing = optunaMissing();

function objective(trial: Trial): number {
  const x = trial.suggestFloat('x', -3, 3);
  const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  const q = trial.suggestFloat('q', 0, 1, { step: 0.25 });
  const n = trial.suggestInt('n', 1, 9);
  const opt = trial.suggestCategorical('opt', ['adam', 'sgd', 'rmsprop']);
  const value = x * x + Math.abs(Math.log10(lr) + 3) + q + n / 10 + (opt === 'adam' ? 0 : 1);
  for (let step = 0; step < 3; step++) trial.report(value + (3 - step), step);
  trial.setUserAttr('note', `trial ${trial.number} ✓`);
  if (trial.number % 7 === 3) throw new TrialPruned();
  if (trial.number % 7 === 5) throw new Error('diverged');
  return value;
}

interface PyStudy {
  n_complete: number;
  best_value: number;
  best_params: Record<string, unknown>;
  best_number: number;
  intermediate: Record<string, Record<string, number>>;
  states: Record<string, string>;
  user_attrs: Record<string, Record<string, unknown>>;
  study_user_attrs: Record<string, unknown>;
  distributions: Record<string, string>;
}

const LOAD = `
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
study = optuna.load_study(study_name=sys.argv[2], storage=storage)
trials = study.trials
complete = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
print(json.dumps({
  "n_complete": len(complete),
  "best_value": study.best_value,
  "best_params": study.best_params,
  "best_number": study.best_trial.number,
  "intermediate": {str(t.number): {str(k): v for k, v in t.intermediate_values.items()} for t in trials},
  "states": {str(t.number): t.state.name for t in trials},
  "user_attrs": {str(t.number): t.user_attrs for t in trials},
  "study_user_attrs": study.user_attrs,
  "distributions": {k: type(v).__name__ + repr(v._asdict()) for k, v in study.best_trial.distributions.items()},
}))
`;

describe.skipIf(requireOrSkip(missing))('Optuna journal interop (python3-optuna 3.1)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('tunelab-journal-');
  });
  afterAll(async () => removeDir(dir));

  it('exports a journal that optuna.load_study reads with the same trials, best value, params and intermediate values', async () => {
    const study = await createStudy({ name: 'export-me', storage: new InMemoryStorage(), sampler: new RandomSampler({ seed: 11 }) });
    await study.setUserAttr('dataset', 'btc-usd');
    await study.optimize(objective, { nTrials: 30, catch: true });
    const file = await study.exportJournal(join(dir, 'export.log'));
    const py = runPython(LOAD, [file, 'export-me']) as PyStudy;

    const complete = study.trials.filter((t) => t.state === 'COMPLETE');
    expect(complete.length).toBeGreaterThan(10);
    expect(py.n_complete).toBe(complete.length);
    expect(py.best_value).toBe(study.bestValue);
    expect(py.best_number).toBe(study.bestTrial.number);
    expect(py.best_params).toEqual(study.bestParams);
    expect(py.study_user_attrs).toEqual({ dataset: 'btc-usd' });
    for (const t of study.trials) {
      expect(py.states[String(t.number)]).toBe(t.state);
      expect(py.intermediate[String(t.number)]).toEqual(Object.fromEntries(Object.entries(t.intermediateValues).map(([k, v]) => [k, v])));
      expect(py.user_attrs[String(t.number)]).toEqual(t.userAttrs);
    }
    // Optuna's own distribution classes with the same attributes.
    expect(py.distributions['x']).toBe("FloatDistribution{'step': None, 'low': -3.0, 'high': 3.0, 'log': False}");
    expect(py.distributions['lr']).toBe("FloatDistribution{'step': None, 'low': 1e-05, 'high': 0.1, 'log': True}");
    expect(py.distributions['q']).toBe("FloatDistribution{'step': 0.25, 'low': 0.0, 'high': 1.0, 'log': False}");
    expect(py.distributions['n']).toBe("IntDistribution{'log': False, 'step': 1, 'low': 1, 'high': 9}");
    expect(py.distributions['opt']).toBe("CategoricalDistribution{'choices': ('adam', 'sgd', 'rmsprop')}");
  });

  const WRITE = `
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
study = optuna.create_study(study_name="from-python", storage=storage, direction="maximize", sampler=optuna.samplers.RandomSampler(seed=3))
study.set_user_attr("origin", "optuna")
study.enqueue_trial({"x": 0.5, "n": 4, "opt": "b"})
def objective(trial):
    x = trial.suggest_float("x", -1, 1)
    lr = trial.suggest_float("lr", 1e-4, 1.0, log=True)
    q = trial.suggest_float("q", 0, 2, step=0.5)
    n = trial.suggest_int("n", 2, 64, log=True)
    opt = trial.suggest_categorical("opt", ["a", "b", "c"])
    trial.set_user_attr("tag", "é%d" % trial.number)
    v = -x * x + math.log(lr) / 10 + q + n / 64 + (1 if opt == "a" else 0)
    for step in range(4):
        trial.report(v - step, step)
    if trial.number % 6 == 2:
        raise optuna.TrialPruned()
    if trial.number % 6 == 4:
        return float("nan")
    return v
study.optimize(objective, n_trials=24)
study.enqueue_trial({"x": 0.25})
print(json.dumps([{
  "number": t.number, "state": t.state.name, "values": t.values, "params": t.params,
  "intermediate": {str(k): v for k, v in t.intermediate_values.items()}, "user_attrs": t.user_attrs,
  "fail_reason": t.system_attrs.get("fail_reason"),
} for t in study.trials]))
`;

  interface PyTrial {
    number: number;
    state: string;
    values: number[] | null;
    params: Record<string, unknown>;
    intermediate: Record<string, number>;
    user_attrs: Record<string, unknown>;
    fail_reason: string | null;
  }

  it('imports a journal that Optuna wrote: states, params, values, intermediate values, attributes, queued trials', async () => {
    const file = join(dir, 'python.log');
    const expected = runPython(WRITE, [file]) as PyTrial[];
    const storage = new InMemoryStorage();
    expect(await importJournal(file, storage)).toEqual(['from-python']);
    const study = await loadStudy('from-python', storage);
    expect(study.directions).toEqual(['maximize']);
    expect(study.userAttrs).toEqual({ origin: 'optuna' });
    expect(study.trials).toHaveLength(expected.length);
    for (const py of expected) {
      const t = study.trials[py.number];
      expect(t?.state).toBe(py.state);
      expect(t?.params).toEqual(py.params);
      expect(t?.values ?? null).toEqual(py.values);
      expect(t?.intermediateValues).toEqual(Object.fromEntries(Object.entries(py.intermediate).map(([k, v]) => [Number(k), v])));
      expect(t?.userAttrs).toEqual(py.user_attrs);
      if (py.fail_reason !== null) expect(t?.systemAttrs['failReason']).toBe(py.fail_reason);
    }
    const completed = expected.filter((t) => t.state === 'COMPLETE');
    expect(study.bestValue).toBe(Math.max(...completed.map((t) => t.values?.[0] as number)));
    // The queued trial runs next in tunelab, with the params Optuna queued.
    expect(study.trials[study.trials.length - 1]?.state).toBe('WAITING');
    const next = await study.ask();
    expect(next.number).toBe(expected.length - 1);
    expect(next.suggestFloat('x', -1, 1)).toBe(0.25);
  });

  it('stops at a truncated last line with its line number, keeping everything before it', async () => {
    const text = await readFile(join(dir, 'python.log'), 'utf8');
    const lines = text.trimEnd().split('\n');
    const cut = join(dir, 'cut.log');
    const last = lines[lines.length - 1] as string;
    await writeFile(cut, `${lines.slice(0, -1).join('\n')}\n${last.slice(0, Math.floor(last.length / 2))}`);
    const storage = new InMemoryStorage();
    const error = await importJournal(cut, storage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JournalFormatError);
    expect((error as JournalFormatError).line).toBe(lines.length);
    expect((error as JournalFormatError).message).toContain(`line ${lines.length}`);
    expect((error as JournalFormatError).imported).toEqual(['from-python']);
    // The cut op was the last enqueue: everything else is there.
    const study = await loadStudy('from-python', storage);
    const full = new InMemoryStorage();
    await importJournal(join(dir, 'python.log'), full);
    expect(study.trials.length).toBe((await loadStudy('from-python', full)).trials.length - 1);
  });

  it('stops at a damaged line in the middle, loading only what precedes it', async () => {
    const lines = (await readFile(join(dir, 'python.log'), 'utf8')).trimEnd().split('\n');
    const bad = 40;
    const damaged = join(dir, 'damaged.log');
    await writeFile(damaged, `${[...lines.slice(0, bad - 1), '{"op_code": 4, "worker_id": "x", "study_id": 0, "datetime_st', ...lines.slice(bad)].join('\n')}\n`);
    const storage = new InMemoryStorage();
    const error = (await importJournal(damaged, storage).catch((e: unknown) => e)) as JournalFormatError;
    expect(error).toBeInstanceOf(JournalFormatError);
    expect(error.line).toBe(bad);
    const before = lines.slice(0, bad - 1).filter((l) => l.startsWith('{"op_code": 4,')).length;
    expect((await loadStudy('from-python', storage)).trials).toHaveLength(before);
  });

  it('keeps the constraints of a study Optuna ran with constraints_func, and tunelab\'s TPE goes on from them', async () => {
    const file = join(dir, 'constrained.log');
    const expected = runPython(
      `
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
sampler = optuna.samplers.TPESampler(seed=3, constraints_func=lambda t: [t.params["x"] + t.params["y"] - 1])
study = optuna.create_study(study_name="constrained", storage=storage, sampler=sampler)
study.optimize(lambda t: -(t.suggest_float("x", 0, 2) + t.suggest_float("y", 0, 2)), n_trials=20)
print(json.dumps([list(t.system_attrs["constraints"]) for t in study.trials]))`,
      [file],
    ) as number[][];
    const storage = new InMemoryStorage();
    await importJournal(file, storage);
    const study = await loadStudy('constrained', storage, { sampler: new TPESampler({ seed: 3, constraintsFunc: (t) => [(t.params['x'] as number) + (t.params['y'] as number) - 1] }) });
    expect(study.trials.map((t) => t.systemAttrs['constraints'])).toEqual(expected);
    // Maximising x + y under x + y <= 1: the best trial is the best feasible one, not the largest sum.
    const feasible = study.trials.filter((t) => (t.systemAttrs['constraints'] as number[])[0] as number <= 0);
    expect(study.bestValue).toBe(Math.min(...feasible.map((t) => t.value as number)));
    await study.optimize((t) => -(t.suggestFloat('x', 0, 2) + t.suggestFloat('y', 0, 2)), { nTrials: 20 });
    const added = study.trials.slice(20);
    for (const t of added) expect(t.systemAttrs['constraints']).toEqual([(t.params['x'] as number) + (t.params['y'] as number) - 1]);
    expect(added.filter((t) => (t.systemAttrs['constraints'] as number[])[0] as number <= 0).length).toBeGreaterThan(10);
  });
});
