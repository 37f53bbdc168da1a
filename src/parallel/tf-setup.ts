import { createRequire } from 'node:module';
import type { TfModule } from '../study/objective.js';
import type { TfBackendChoice } from './messages.js';
export { tfjsNodeAvailable as hasTfjsNode } from '../models/backend.js';

const requireHere = createRequire(import.meta.url);

/**
 * Loads TF.js in this worker and initializes it on the chosen backend; wasm falls back to cpu
 * when it cannot start. Each worker runs one trial at a time, so one single-threaded backend each.
 */
export async function prepareTf(choice: TfBackendChoice): Promise<TfModule> {
  if (choice === 'tensorflow') {
    const tf = requireHere('@tensorflow/tfjs-node') as TfModule;
    await tf.ready();
    return tf;
  }
  const tf = requireHere('@tensorflow/tfjs') as TfModule;
  if (choice === 'wasm') {
    requireHere('@tensorflow/tfjs-backend-wasm');
    // One trial per worker already fills the cores; wasm's own threads would only compete.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (await tf.setBackend('wasm').catch(() => false)) {
      await tf.ready();
      return tf;
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** For an objective that reached ctx.tf without it being prepared: plain TF.js on the cpu backend, synchronously. */
export function loadTfNow(): TfModule {
  const tf = requireHere('@tensorflow/tfjs') as TfModule;
  void tf.setBackend('cpu');
  return tf;
}
