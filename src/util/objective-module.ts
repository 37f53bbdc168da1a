const MODULE = Symbol.for('tunelab.objectiveModule');

/**
 * Marks a function as the default export of the module at `url` (a file URL). The evaluation
 * cache then keys it by that module's content rather than by the function's source, which is
 * what covers the module-level bindings the function uses (its free variables).
 */
export function markObjectiveModule<F extends object>(objective: F, url: string): F {
  Object.defineProperty(objective, MODULE, { value: url, enumerable: false });
  return objective;
}

/** The module a function was marked as coming from, if any. */
export function objectiveModuleOf(objective: unknown): string | undefined {
  if (typeof objective !== 'function') return undefined;
  const url = (objective as unknown as Record<symbol, unknown>)[MODULE];
  return typeof url === 'string' ? url : undefined;
}
