import { createRequire } from 'node:module';
import type * as Tf from '@tensorflow/tfjs';

/** The TF.js namespace, as an objective receives it in `ctx.tf`. */
export type TfModule = typeof Tf;

const requireHere = createRequire(import.meta.url);

/**
 * Plain TF.js, required on first call only: the engine core never loads TF.js for an objective
 * that does not touch it (tens of MB and a second of start-up).
 */
export function requireTf(): TfModule {
  return requireHere('@tensorflow/tfjs') as TfModule;
}
