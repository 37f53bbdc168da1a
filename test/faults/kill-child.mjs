// The child process of kill-loop.test.ts: a LevelDB study with worker threads and frequent
// backups, run until it is SIGKILLed. It prints each finished trial once `tell` has returned
// (so once it is in LevelDB's log): the parent checks that none of them is ever lost.
const [distUrl, dir] = process.argv.slice(2);
const { createStudy, RandomSampler } = await import(distUrl);

const study = await createStudy({
  name: 'killed',
  storage: `level:${dir}?backupEvery=3&keep=3&backupMinSeconds=0`,
  sampler: new RandomSampler(),
  loadIfExists: true,
});
process.stdout.write('ready\n');
await study.optimize(
  async (trial) => {
    const x = trial.suggestFloat('x', -5, 5);
    const n = trial.suggestInt('n', 1, 4);
    trial.report(x * n, 0);
    await new Promise((r) => setTimeout(r, 2 + Math.random() * 10));
    return x * x + n;
  },
  {
    nTrials: 1_000_000,
    workers: 2,
    callbacks: [(_s, t) => process.stdout.write(`${JSON.stringify({ number: t.number, state: t.state, values: t.values ?? null })}\n`)],
  },
);
