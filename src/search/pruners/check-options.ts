import { InvalidOptionError } from '../../errors.js';

/**
 * Up-front checks for pruner options. Every message names the pruner, the option, the value
 * given and what to pass instead, so a typo fails at construction, not mid-study.
 */
export function checkOptionsObject(owner: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(`${owner}(options): expected an options object such as { ${known[0]}: ... }, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(`${owner}({ ${key} }): unknown option; known options are ${known.join(', ')}`);
    }
  }
  return options as Record<string, unknown>;
}

/** A whole number >= min, or the default when absent. */
export function intOption(owner: string, options: Record<string, unknown>, name: string, fallback: number, min: number, hint: string): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`${owner}({ ${name} }): must be a whole number >= ${min}, got ${show(value)}; ${hint}`);
  }
  return value;
}

/** A whole number >= min, or 'auto'; the default when absent. */
export function intOrAutoOption(
  owner: string,
  options: Record<string, unknown>,
  name: string,
  min: number,
  hint: string,
): number | 'auto' {
  const value = options[name];
  if (value === undefined || value === 'auto') return 'auto';
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`${owner}({ ${name} }): must be 'auto' or a whole number >= ${min}, got ${show(value)}; ${hint}`);
  }
  return value;
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
