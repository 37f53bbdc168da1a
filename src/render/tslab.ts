import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

/** The parts of tslab's Display that tunelab uses (tslab's own type has more). */
export interface TslabDisplay {
  html(s: string): void;
  svg(s: string): void;
  text(s: string): void;
}

export interface TslabApi {
  readonly display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

const requireHere = createRequire(import.meta.url);
const JUPYTER_SUFFIX = `${sep}tslab${sep}dist${sep}jupyter.js`;

interface JupyterModule {
  readonly lastWriteDisplayData?: unknown;
}

/**
 * The running kernel's own tslab, or undefined outside a tslab kernel.
 *
 * Why not `require('tslab')`: that may load a second copy (from this package's node_modules)
 * whose display answers "Not ready", because only the kernel's copy of jupyter.js has been
 * handed the output channel. The kernel always has its jupyter.js in the CommonJS module cache
 * (the same cache from ESM and CJS builds); public.js beside it shares that module instance, so
 * requiring it by absolute path yields the live `display` even before any cell required tslab.
 */
export function findKernelTslab(): TslabApi | undefined {
  const cache = requireHere.cache as Record<string, { exports?: unknown } | undefined>;
  for (const [file, mod] of Object.entries(cache)) {
    if (!file.endsWith(JUPYTER_SUFFIX)) continue;
    const jupyter = mod?.exports as JupyterModule | undefined;
    // Loaded but not yet executing a cell (e.g. the kernel is starting): nothing can be shown.
    if (!jupyter || typeof jupyter.lastWriteDisplayData !== 'function') continue;
    const api = requireHere(join(dirname(file), 'public.js')) as Partial<TslabApi>;
    if (api.display && typeof api.newDisplay === 'function') return api as TslabApi;
  }
  return undefined;
}
