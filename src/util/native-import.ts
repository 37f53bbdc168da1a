// A real dynamic import in both builds: tsup's CommonJS output turns `import()` into `require()`,
// which cannot load ES modules with top-level await (vega) and goes through Node 20's
// require-of-ESM path for the rest (file URLs it cannot load at all).
const indirectImport = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

/**
 * Imports a module by file URL. `fallback` must be a plain `import()` of the same module: code run
 * inside a vm context without an import hook (test runners) cannot use the indirect import, and
 * there the source is ESM, so the plain import() is a real one.
 */
export async function nativeImport(url: string, fallback: () => Promise<unknown>): Promise<unknown> {
  try {
    return await indirectImport(url);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') throw error;
    return fallback();
  }
}
