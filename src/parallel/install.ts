// Importing this module gives Study.optimize its `workers` mode (the engine does not depend on it).
import { installParallelRunner } from '../study/parallel-runner.js';
import { optimizeInWorkers } from './run.js';

installParallelRunner(optimizeInWorkers);
