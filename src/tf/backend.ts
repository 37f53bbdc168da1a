import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { InvalidOptionError } from '../errors.js';
import type { TfModule } from './module.js';
import { notice } from '../util/notices.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';
/** The backend a worker is told to start: 'auto' already resolved. */
export type TfBackendChoice = BackendName;

const requireHere = createRequire(import.meta.url);
let noted = false;

/**
 * Whether the real tfjs-node (native TensorFlow) is installed. A package at that path is not
 * proof: danfojs-node's install overrides alias '@tensorflow/tfjs-node' to plain TF.js, whose
 * package.json says so. Checked without loading it (loading starts native TensorFlow).
 */
export function tfjsNodeAvailable(): boolean {
  try {
    const pkg = requireHere('@tensorflow/tfjs-node/package.json') as { name?: string };
    return pkg.name === '@tensorflow/tfjs-node';
  } catch {
    return false;
  }
}

/** The backend 'auto' picks: tensorflow (tfjs-node, if installed) > wasm > cpu. */
export function autoBackend(): BackendName {
  if (tfjsNodeAvailable()) return 'tensorflow';
  try {
    requireHere.resolve('@tensorflow/tfjs-backend-wasm');
    return 'wasm';
  } catch {
    return 'cpu';
  }
}

/**
 * TF.js initialized on a backend in this thread. Silences TF.js's own "install tfjs-node" banner
 * (shown on every worker) and prints one line of ours in the main thread instead.
 */
export async function loadTf(choice: BackendChoice = 'auto'): Promise<{ tf: TfModule; backend: BackendName }> {
  if (choice !== 'auto' && choice !== 'tensorflow' && choice !== 'wasm' && choice !== 'cpu') {
    throw new InvalidOptionError(`backend must be 'auto', 'tensorflow', 'wasm' or 'cpu', got ${JSON.stringify(choice)}`);
  }
  const backend = choice === 'auto' ? autoBackend() : choice;
  const tf = requireHere('@tensorflow/tfjs') as TfModule;
  tf.env().set('PROD', true);
  if (backend === 'tensorflow') {
    if (!tfjsNodeAvailable()) {
      throw new InvalidOptionError("backend 'tensorflow' needs @tensorflow/tfjs-node: npm install @tensorflow/tfjs-node, or use backend 'wasm'");
    }
    requireHere('@tensorflow/tfjs-node');
  } else if (backend === 'wasm') {
    requireHere('@tensorflow/tfjs-backend-wasm');
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new InvalidOptionError(`TF.js could not initialize the '${backend}' backend; try backend 'cpu'`);
  await tf.ready();
  if (!noted && isMainThread && backend !== 'tensorflow') {
    noted = true;
    notice(`tunelab: TF.js runs on the ${backend} backend (install @tensorflow/tfjs-node for native speed; trials then run in child processes).`);
  }
  return { tf, backend };
}

/** The backend a family trains on: the preferred one if the family supports it, else its first supported. */
export function backendForFamily(preferred: BackendName, supported: readonly BackendName[] | undefined): BackendName {
  if (!supported || supported.includes(preferred)) return preferred;
  return supported.find((b) => b !== 'tensorflow' || preferred === 'tensorflow') ?? 'cpu';
}
