import { freeVariables } from './free-variables.js';
import { globalNames } from './global-names.js';

/**
 * The variables a function's source takes from outside itself, besides globals: notebook
 * variables, closures, module bindings. Throws when the source cannot be parsed.
 */
export function outsideVariables(source: string): string[] {
  const globals = globalNames();
  return freeVariables(source).filter((name) => !globals.has(name));
}

/**
 * tslab compiles a cell to CommonJS: a reference to another cell's export reads `exports.name`,
 * so the user is told `name`, the variable they wrote.
 */
export function userFacingNames(free: readonly string[], source: string): string[] {
  const out: string[] = [];
  for (const name of free) {
    const exported = name === 'exports' ? [...source.matchAll(/\bexports\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1] as string) : [];
    for (const n of exported.length > 0 ? exported : [name]) if (!out.includes(n)) out.push(n);
  }
  return out;
}
