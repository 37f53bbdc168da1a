import { inspect } from 'node:util';

/*
 * Describing what an objective threw or returned must never throw itself: a user's objective may
 * throw Object.create(null), an object whose toString throws, a getter that throws on `message`,
 * or a Proxy whose every trap throws. Each step here is guarded and falls back to a plainer one.
 */

/** `value instanceof cls`, false when the check itself throws (a Proxy's getPrototypeOf trap). */
export function isInstance(value: unknown, cls: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof cls;
  } catch {
    return false;
  }
}

/** `value[key]`, undefined when reading it throws. */
export function safeGet(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function safeString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return undefined;
  }
}

function safeInspect(value: unknown): string {
  try {
    return inspect(value, { depth: 1, breakLength: Infinity, customInspect: false });
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return 'an unprintable value';
    }
  }
}

/** `Name: message` for an Error, the value itself otherwise; never throws, never empty. */
export function describeError(error: unknown): string {
  const text = describe(error);
  return text === '' ? safeInspect(error) : text;
}

function describe(error: unknown): string {
  if (isInstance(error, Error)) {
    const name = safeString(safeGet(error, 'name')) ?? 'Error';
    const message = safeString(safeGet(error, 'message'));
    return message === undefined ? `${name}: (a message that cannot be read)` : `${name}: ${message}`;
  }
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return safeString(error) ?? safeInspect(error);
  // A plain object's String() is "[object Object]": its content says more.
  const text = safeString(error);
  return text !== undefined && text !== '[object Object]' ? text : safeInspect(error);
}

/** The error's stack, when it has a readable one. */
export function errorStack(error: unknown): string | undefined {
  const stack = safeGet(error, 'stack');
  return typeof stack === 'string' ? stack : undefined;
}

/** A returned value as a message shows it: 1n stays 1n, a string keeps its quotes. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined (did the objective forget to return?)';
  if (typeof value === 'string') return JSON.stringify(value);
  return safeInspect(value);
}
