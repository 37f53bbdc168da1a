import { contentKey } from '../util/content-key.js';
import { objectiveModuleOf } from '../util/objective-module.js';
import { outsideVariables, userFacingNames } from '../util/outside-variables.js';
import { objectiveIdentity, type EvalScope } from './keys.js';

/** What one optimize run's results depend on besides the params. */
export interface RunInputs {
  readonly objective: ((...args: never[]) => unknown) | string | URL;
  /** optimize's `data`: entries with a string `fingerprint` are keyed by it, others by content. */
  readonly data: Readonly<Record<string, unknown>> | undefined;
  /** optimize's `context`, keyed by its whole structured-clone content. */
  readonly context: unknown;
  readonly seed: number | undefined;
  readonly version: string | undefined;
}

/** Why a run cannot be cached: the key would not cover something the results depend on. */
export interface Uncacheable {
  readonly reason: string;
}

/**
 * The scope of a run's cache keys, covering everything its results depend on, or why there is
 * none: an inline objective that reads variables from outside itself (their values are not in
 * its source), a `context` or `data` value whose content no key can see (a function), a module
 * that cannot be read.
 */
export function evalScopeOf(inputs: RunInputs): EvalScope | Uncacheable {
  const { objective } = inputs;
  if (typeof objective === 'function' && objectiveModuleOf(objective) === undefined) {
    const source = Function.prototype.toString.call(objective);
    if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
      return { reason: 'the objective is a bound or built-in function, whose code the key cannot see; pass the function itself, or a module path' };
    }
    let outside: string[];
    try {
      outside = userFacingNames(outsideVariables(source), source);
    } catch (error) {
      return { reason: `the objective's source cannot be read (${(error as Error).message}); put it in a module and pass its path` };
    }
    if (outside.length > 0) {
      const names = outside.map((n) => `'${n}'`).join(', ');
      return {
        reason: `the objective uses ${names} from outside itself, whose value${outside.length > 1 ? 's' : ''} the cache key cannot see; pass ${outside.length > 1 ? 'them' : 'it'} through optimize({ context }) (part of the key) and read ctx.context, or make the objective a module`,
      };
    }
  }
  const identity = objectiveIdentity(objective);
  if (identity === undefined) {
    return { reason: `the objective module ${String(objectiveModuleOf(objective) ?? objective)} cannot be read, so the key cannot cover its content` };
  }
  const context = inputs.context === undefined ? undefined : contentKey(inputs.context, 'context');
  if (context && context.unseen.length > 0) return { reason: unseenReason(context.unseen) };
  const data: string[] = [];
  for (const name of Object.keys(inputs.data ?? {}).sort()) {
    const entry = (inputs.data as Record<string, unknown>)[name];
    const fingerprint = (entry as { readonly fingerprint?: unknown } | null | undefined)?.fingerprint;
    if (typeof fingerprint === 'string') {
      data.push(`${name}=${fingerprint}`);
      continue;
    }
    const content = contentKey(entry, `data.${name}`);
    if (content.unseen.length > 0) return { reason: unseenReason(content.unseen) };
    data.push(`${name}=content:${content.key}`);
  }
  return {
    objective: identity,
    ...(data.length > 0 && { datasetFingerprint: data.join(',') }),
    ...(inputs.seed !== undefined && { seed: inputs.seed }),
    ...(context !== undefined && { context: context.key }),
    ...(inputs.version !== undefined && { version: inputs.version }),
  };
}

function unseenReason(paths: readonly string[]): string {
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
  return `${shown} ${paths.length > 1 ? 'hold values' : 'holds a value'} (a function, symbol, WeakMap or promise) whose content the cache key cannot see; pass plain data instead`;
}

export function isUncacheable(scope: EvalScope | Uncacheable): scope is Uncacheable {
  return 'reason' in scope;
}
