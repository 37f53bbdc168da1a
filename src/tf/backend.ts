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

/** The packages of native TensorFlow for TF.js, preferred first: a GPU user's install wins. */
export const NATIVE_TF_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
export type NativeTfPackage = (typeof NATIVE_TF_PACKAGES)[number];
const INSTALL_NATIVE = 'npm install @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu)';

/**
 * The native TensorFlow package installed beside tunelab (both are optional peers), if any. A
 * package at that path is not proof: an install override can alias the name to plain TF.js, whose
 * package.json then names itself. Checked without loading it (loading starts native TensorFlow).
 * `from` resolves as tunelab does (a parameter for tests).
 */
export function nativeTfPackage(from: NodeJS.Require = requireHere): NativeTfPackage | undefined {
  return NATIVE_TF_PACKAGES.find((name) => {
    try {
      return (from(`${name}/package.json`) as { name?: string }).name === name;
    } catch {
      return false;
    }
  });
}

/** Whether native TensorFlow (tfjs-node or tfjs-node-gpu) is installed. */
export function tfjsNodeAvailable(): boolean {
  return nativeTfPackage() !== undefined;
}

/** Loads the installed native TensorFlow package (it registers the 'tensorflow' backend). */
export function requireNativeTf(what: string): TfModule {
  const name = nativeTfPackage();
  if (name === undefined) throw new InvalidOptionError(`${what} needs native TensorFlow: ${INSTALL_NATIVE}, or use backend 'wasm'`);
  return requireHere(name) as TfModule;
}

/** The backend 'auto' picks: tensorflow (tfjs-node or tfjs-node-gpu, if installed) > wasm > cpu. */
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
    requireNativeTf("backend 'tensorflow'");
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
