import { Command, InvalidArgumentError, Option } from 'commander';
import { TunelabError } from '../errors.js';
import { packageVersion } from '../util/package-root.js';
// The public entry registers every storage scheme (level:, postgres://).
import '../index.js';
import { demo, DEMO_DEFAULTS, type DemoOptions } from './demo.js';
import { checkWorkerOptions, runWorker, type WorkerOptions } from './worker.js';

const wholeNumber = (min: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}, got '${value}'`);
  return n;
};

const program = new Command('tunelab')
  .description('Hyperparameter optimization for TypeScript notebooks and the Node REPL')
  .version(packageVersion(), '-v, --version');

const workersOption = (value: string): number | 'auto' => (value === 'auto' ? 'auto' : wholeNumber(0)(value));

program
  .command('demo', { isDefault: true })
  .description('tune five model families for next-day BTC forecasting on the bundled data; print the comparison and write an HTML report')
  .option('--trials <n>', 'finished trials per family', wholeNumber(1), DEMO_DEFAULTS.trials)
  .option('--epochs <n>', 'most epochs per trial (early stopping and pruning cut most short)', wholeNumber(1), DEMO_DEFAULTS.epochs)
  .option('--workers <n>', "worker threads, or 'auto' for one per core", workersOption, DEMO_DEFAULTS.workers)
  .option('--seed <n>', 'seed for samplers and models', wholeNumber(0), DEMO_DEFAULTS.seed)
  .option('--storage <url>', 'where the studies live', DEMO_DEFAULTS.storage)
  .option('--report <file>', 'HTML report to write', DEMO_DEFAULTS.report)
  .option('--models <list>', 'comma-separated families', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean), DEMO_DEFAULTS.models)
  .action(async (opts: DemoOptions) => {
    await demo(opts);
  });

program
  .command('worker')
  .description('join a study (creating it if absent) from this process and run trials until done')
  .requiredOption('--study <name>', 'study name')
  .requiredOption('--storage <url>', "storage URL, e.g. postgres://user@host:5432/db (password from PGPASSWORD), or 'level:<dir>'")
  .requiredOption('--objective <file>', 'JavaScript module whose default export is the objective (trial) => number')
  .option('--trials <n>', 'trials this worker runs', wholeNumber(1))
  .option('--total-trials <n>', "stop all workers when the study holds n trials (stored in the study's system attribute totalTrials)", wholeNumber(1))
  .addOption(new Option('--direction <direction>', 'for a new study').choices(['minimize', 'maximize']).default('minimize'))
  .addOption(new Option('--sampler <sampler>', 'sampler of this worker (auto: AutoSampler, the default; every worker of a study should use the same)').choices(['auto', 'tpe', 'gp', 'nsga2', 'random']).default('auto'))
  .option('--workers <n>', 'worker threads in this process (0: trials run in the main thread)', wholeNumber(0), 0)
  .option('--retry-failed <n>', "re-run each failed trial's params up to n times (e.g. a dead worker's trial)", wholeNumber(0))
  .option('--max-consecutive-failures <n>', 'stop (exit code 2) after n trials of this worker failed in a row', wholeNumber(1), 10)
  .action(async (opts: WorkerOptions) => {
    checkWorkerOptions(opts);
    const code = await runWorker(opts);
    // An interrupted objective may still hold timers or sockets; the trials are settled, so go.
    process.exit(code);
  });

/**
 * `demo` is the default command, so commander hands an unknown word to it and complains about
 * "too many arguments for 'demo'". A first word that is not an option must name a command.
 */
function unknownCommand(argv: readonly string[]): string | undefined {
  const first = argv[2];
  if (first === undefined || first.startsWith('-')) return undefined;
  const known = [...program.commands.map((c) => c.name()), 'help'];
  if (known.includes(first)) return undefined;
  const list = program.commands.map((c) => `  ${c.name().padEnd(8)} ${c.description()}`).join('\n');
  return `unknown command '${first}'; the commands are:\n${list}\n(tunelab <command> --help for its options)`;
}

try {
  const unknown = unknownCommand(process.argv);
  if (unknown !== undefined) {
    console.error(`tunelab: ${unknown}`);
    process.exitCode = 2;
  } else {
    await program.parseAsync(process.argv);
  }
} catch (error) {
  if (!(error instanceof TunelabError)) throw error;
  console.error(`tunelab: ${error.message}`);
  process.exitCode = 2;
}
