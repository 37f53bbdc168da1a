import { createHash } from 'node:crypto';
import { InvalidOptionError } from '../../errors.js';
import { cnnFamily, linearFamily, mlpFamily } from './dense.js';
import { gruFamily, lstmFamily } from './recurrent.js';
import type { ModelFamily } from './types.js';

const families = new Map<string, ModelFamily>([linearFamily, mlpFamily, lstmFamily, gruFamily, cnnFamily].map((f) => [f.name, f]));

/** The five built-in families, in the order the comparison table shows them. */
export const BUILT_IN_FAMILIES = ['linear', 'mlp', 'lstm', 'gru', 'cnn'] as const;

/** Adds a family of your own (its build must be available wherever trials run: in workers, from a module). */
export function registerModelFamily(family: ModelFamily): void {
  if (!family || typeof family.name !== 'string' || typeof family.build !== 'function' || typeof family.space !== 'function') {
    throw new InvalidOptionError('registerModelFamily(family): expected { name, description, space(trial, shape), build(tf, shape, params, training, seed) }');
  }
  families.set(family.name, family);
}

export function getModelFamily(name: string): ModelFamily {
  const family = families.get(name);
  if (!family) throw new InvalidOptionError(`unknown model family '${name}'; known families: ${[...families.keys()].join(', ')} (add one with registerModelFamily)`);
  return family;
}

export function modelFamilyNames(): string[] {
  return [...families.keys()];
}

/**
 * A hash of a family's definition (the source of its space and build, its backends): tune() puts
 * it in each trial's context, so the evaluation cache never answers for a family redefined under
 * the same name (a notebook cell edited and run again).
 */
export function familyDefinition(name: string): string {
  const family = getModelFamily(name);
  const text = [Function.prototype.toString.call(family.space), Function.prototype.toString.call(family.build), JSON.stringify(family.backends ?? null)].join('\n');
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}
