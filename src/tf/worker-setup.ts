import { createRequire } from 'node:module';
import { InvalidOptionError } from '../errors.js';
import { requireNativeTf, tfjsNodeAvailable, type BackendChoice, type TfBackendChoice } from './backend.js';
import type { TfModule } from './module.js';

const requireHere = createRequire(import.meta.url);

/**
 * Loads TF.js in this worker and initializes it on the chosen backend; wasm falls back to cpu
 * when it cannot start. Each worker runs one trial at a time, so one single-threaded backend each.
 */
export async function prepareTf(choice: TfBackendChoice): Promise<TfModule> {
  if (choice === 'tensorflow') {
    const tf = requireNativeTf("backend 'tensorflow'");
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

/** Where a pool's workers run TF.js and on which backend, or an error for a combination that cannot work. */
export interface WorkerTfPlan {
  readonly tfBackend: TfBackendChoice;
  /** Child processes instead of worker threads. */
  readonly processes: boolean;
}

export function planWorkerTf(backend: BackendChoice, executor: 'thread' | 'process' | undefined): WorkerTfPlan {
  if (backend === 'tensorflow' && !tfjsNodeAvailable()) {
    throw new InvalidOptionError("optimize({ backend: 'tensorflow' }) needs native TensorFlow: npm install @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu), or use backend 'wasm'");
  }
  const nativeTf = backend === 'tensorflow' || (backend === 'auto' && tfjsNodeAvailable());
  // tfjs-node fails in a second worker thread (tfjs issue #8388): native TF only in processes.
  if (nativeTf && executor === 'thread') {
    throw new InvalidOptionError("optimize({ backend }): tfjs-node cannot run in worker threads (tfjs issue #8388); use executor: 'process', or backend: 'wasm'");
  }
  return {
    tfBackend: nativeTf ? 'tensorflow' : backend === 'cpu' ? 'cpu' : 'wasm',
    processes: executor === 'process' || nativeTf,
  };
}
