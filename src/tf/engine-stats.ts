/** TF.js's memory figures, if TF.js is loaded in this thread (it keeps its engine on globalThis). */
export interface TensorStats {
  readonly backend: string | undefined;
  readonly numTensors: number;
  readonly numBytes: number;
}

interface TfEngineLike {
  readonly backendName?: string;
  memory(): { numTensors: number; numBytes: number };
}

export function tensorStats(): TensorStats | undefined {
  const engine = (globalThis as { _tfengine?: TfEngineLike })._tfengine;
  if (!engine || typeof engine.memory !== 'function') return undefined;
  try {
    const m = engine.memory();
    return { backend: engine.backendName, numTensors: m.numTensors, numBytes: m.numBytes };
  } catch {
    return undefined; // no backend initialized yet
  }
}
