// A study run in a child process by processes.test.ts, against the built package (dist/).
// Modes: hang (trial 6 never returns), fast (runs until killed), resume, reference, lock.
const [distUrl, dir, mode] = process.argv.slice(2);
const { createStudy, RandomSampler } = await import(distUrl);

const print = (tag, t) =>
  process.stdout.write(`${JSON.stringify({ tag, number: t.number, state: t.state, values: t.values, params: t.params, iv: t.intermediateValues, ua: t.userAttrs, sa: t.systemAttrs })}\n`);

if (mode === 'lock') {
  try {
    await createStudy({ name: 'crash', storage: `level:${dir}` });
    process.stdout.write('{"opened":true}\n');
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ name: e.name, code: e.code, message: e.message })}\n`);
  }
  process.exit(0);
}

const storage = mode === 'fast' ? `level:${dir}?backupEvery=50&keep=3&backupMinSeconds=0` : `level:${dir}?keep=0`;
const study = await createStudy({ name: 'crash', storage, sampler: new RandomSampler({ seed: 42 }), loadIfExists: true });

async function objective(trial) {
  const x = trial.suggestFloat('x', -5, 5);
  const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
  const q = trial.suggestFloat('q', 0, 1, { step: 0.1 });
  const n = trial.suggestInt('n', 1, 10);
  const opt = trial.suggestCategorical('opt', ['adam', 'sgd']);
  trial.report(x, 0);
  trial.report(x * 2, 1);
  trial.setUserAttr('tag', `t${trial.number} ✓`);
  if (mode === 'hang' && trial.number === 6) {
    // Pause before saying so: the trial's params are written once the objective first awaits, and
    // the parent kills on 'hang' — a real kill comes long after a trial started.
    await new Promise((res) => setTimeout(res, 300));
    process.stdout.write('hang\n');
    await new Promise(() => setInterval(() => {}, 1000));
  }
  return x * x + Math.log(lr) ** 2 + q + n + (opt === 'adam' ? 0 : 1);
}

const callbacks = [(_s, t) => print('done', t)];
if (mode === 'hang') await study.optimize(objective, { nTrials: 20, callbacks });
if (mode === 'fast') await study.optimize(objective, { nTrials: 1_000_000, callbacks });
if (mode === 'resume') await study.optimize(objective, { totalTrials: 10, retryFailed: 1 });
if (mode === 'reference') await study.optimize(objective, { nTrials: 11 });
for (const t of study.trials) print('final', t);
await study.storage.close();
