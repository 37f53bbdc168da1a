import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidOptionError } from '../errors.js';
import type { Objective } from '../study/objective.js';

/** The default export of an objective module (ESM or CommonJS, .js/.mjs/.cjs). */
export async function loadObjective(file: string): Promise<Objective<unknown>> {
  const url = pathToFileURL(resolve(file)).href;
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw new InvalidOptionError(`--objective ${file}: the module could not be loaded (${(error as Error).message}); give a JavaScript module (.js, .mjs, .cjs) whose default export is (trial) => number`);
  }
  // A CommonJS module's `exports.default` arrives wrapped once more.
  let fn = module.default;
  if (fn !== null && typeof fn === 'object' && typeof (fn as { default?: unknown }).default === 'function') fn = (fn as { default: unknown }).default;
  if (typeof fn !== 'function') {
    throw new InvalidOptionError(`--objective ${file}: the default export is ${fn === undefined ? 'missing' : typeof fn}; export the objective as \`export default (trial) => ...\` or \`module.exports = (trial) => ...\``);
  }
  return fn as Objective<unknown>;
}
