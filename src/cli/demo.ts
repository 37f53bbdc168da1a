import { RandomSampler } from '../search/samplers/random.js';
import { createStudy } from '../study/create.js';

// The main job for now: a small seeded study that prints its result table.
// (A later issue grows this into the crypto tuning demo.)
export async function demo(): Promise<void> {
  const study = await createStudy({ name: 'demo-rosenbrock', storage: 'memory:', sampler: new RandomSampler({ seed: 1 }) });
  await study.optimize((trial) => {
    const x = trial.suggestFloat('x', -5, 10);
    const y = trial.suggestFloat('y', -5, 10);
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  }, { nTrials: 200 });
  console.table(
    [...study.trials]
      .filter((t) => t.state === 'COMPLETE')
      .sort((a, b) => (a.value as number) - (b.value as number))
      .slice(0, 10)
      .map((t) => ({ trial: t.number, value: t.value, ...t.params })),
  );
  console.log(study);
}
