import { createHash } from 'node:crypto';

/** A value's content as one hash, and the places in it whose content no key can see. */
export interface ContentKey {
  /** Equal for values with equal structured-clone content; different otherwise (up to sha-256). */
  readonly key: string;
  /**
   * Paths (e.g. `context.model.predict`) of values the key cannot describe: functions, symbols,
   * WeakMaps, promises, getters that throw. A key with any is not a complete description.
   */
  readonly unseen: readonly string[];
}

const TYPED_ARRAY_TAG = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)?.get as (this: unknown) => string | undefined;

function hashBytes(view: ArrayBufferView | ArrayBufferLike): string {
  const bytes = ArrayBuffer.isView(view) ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(view);
  return createHash('sha256').update(bytes).digest('base64url');
}

function encodeNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

/**
 * Hashes what structured clone would carry of `value` (and what an in-thread objective reads of
 * it): primitives with their type (NaN ≠ null, -0 ≠ 0, 1n ≠ 1, '1' ≠ 1), Date by time, RegExp by
 * source and flags, typed arrays, DataViews and (Shared)ArrayBuffers by their bytes, Map and Set
 * by their entries, arrays by their elements (holes count), other objects by their own enumerable
 * string-keyed properties plus their class name. Key order of objects and entry order of Maps and
 * Sets do not matter (as for util.isDeepStrictEqual); cycles are encoded by how far up they point.
 */
export function contentKey(value: unknown, root = 'value'): ContentKey {
  const unseen: string[] = [];
  const ancestors = new Map<object, number>();
  // Encodings of subtrees that point at no ancestor outside themselves: shared parts are encoded once.
  const closed = new WeakMap<object, string>();
  let lowest = Infinity;

  const encode = (v: unknown, path: string): string => {
    switch (typeof v) {
      case 'undefined':
        return 'u';
      case 'boolean':
        return v ? 'T' : 'F';
      case 'number':
        return `n${encodeNumber(v)}`;
      case 'bigint':
        return `i${v.toString()}`;
      case 'string':
        return `s${JSON.stringify(v)}`;
      case 'symbol':
      case 'function':
        unseen.push(path);
        return `?${typeof v}`;
      default:
        break;
    }
    if (v === null) return 'N';
    const obj = v as object;
    const depth = ancestors.get(obj);
    if (depth !== undefined) {
      lowest = Math.min(lowest, depth);
      return `^${ancestors.size - depth}`;
    }
    const known = closed.get(obj);
    if (known !== undefined) return known;
    const myDepth = ancestors.size;
    ancestors.set(obj, myDepth);
    const outerLowest = lowest;
    lowest = Infinity;
    let text: string;
    try {
      text = encodeObject(obj, path);
    } finally {
      ancestors.delete(obj);
    }
    if (lowest >= myDepth) closed.set(obj, text);
    lowest = Math.min(lowest, outerLowest);
    return text;
  };

  const properties = (obj: object, path: string): string => {
    const parts: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      let child: unknown;
      try {
        child = (obj as Record<string, unknown>)[key];
      } catch {
        unseen.push(`${path}.${key}`);
        parts.push(`${JSON.stringify(key)}:?throws`);
        continue;
      }
      parts.push(`${JSON.stringify(key)}:${encode(child, `${path}.${key}`)}`);
    }
    return `{${parts.join(',')}}`;
  };

  /** A built-in's own encoding, or undefined for any other object. */
  const encodeBuiltIn = (obj: object, path: string): string | undefined => {
    if (ArrayBuffer.isView(obj)) {
      const tag = TYPED_ARRAY_TAG.call(obj) ?? 'DataView';
      return `V${tag}:${obj.byteLength}:${hashBytes(obj)}`;
    }
    if (obj instanceof ArrayBuffer) return `B${obj.byteLength}:${hashBytes(obj)}`;
    if (typeof SharedArrayBuffer !== 'undefined' && obj instanceof SharedArrayBuffer) return `SB${obj.byteLength}:${hashBytes(obj)}`;
    if (Array.isArray(obj)) {
      const items: string[] = [];
      for (let i = 0; i < obj.length; i++) items.push(i in obj ? encode(obj[i], `${path}[${i}]`) : '_');
      // Non-index properties of an array are left out: listing them means listing every index.
      return `A[${items.join(',')}]`;
    }
    if (obj instanceof Date) return `D${encodeNumber(obj.getTime())}`;
    if (obj instanceof RegExp) return `R${JSON.stringify(obj.source)}/${obj.flags}`;
    if (obj instanceof Map) {
      const entries: string[] = [];
      let i = 0;
      for (const [k, val] of obj) {
        entries.push(`${encode(k, `${path}.<key ${i}>`)}=>${encode(val, `${path}.get(${i})`)}`);
        i++;
      }
      return `M{${entries.sort().join(',')}}`;
    }
    if (obj instanceof Set) {
      const items: string[] = [];
      let i = 0;
      for (const item of obj) items.push(encode(item, `${path}.<item ${i++}>`));
      return `S{${items.sort().join(',')}}`;
    }
    if (obj instanceof Number || obj instanceof String || obj instanceof Boolean || (typeof BigInt !== 'undefined' && obj instanceof BigInt)) {
      return `O${encode((obj as { valueOf(): unknown }).valueOf(), path)}`;
    }
    if (obj instanceof Error) return `E${JSON.stringify(obj.name)}:${JSON.stringify(obj.message)}${properties(obj, path)}`;
    if (obj instanceof WeakMap || obj instanceof WeakSet || obj instanceof Promise || (typeof WeakRef !== 'undefined' && obj instanceof WeakRef)) {
      unseen.push(path);
      return `?${Object.prototype.toString.call(obj)}`;
    }
    return undefined;
  };

  const encodeObject = (obj: object, path: string): string => {
    let builtIn: string | undefined;
    try {
      builtIn = encodeBuiltIn(obj, path);
    } catch (error) {
      // instanceof looks at the prototype chain only: Object.create(Number.prototype), or an object whose
      // __proto__ was set to a Date, passes it without the internal slot the built-in's methods need, and
      // they throw a TypeError. Such an object is encoded as the plain object it is.
      if (!(error instanceof TypeError)) throw error;
    }
    if (builtIn !== undefined) return builtIn;
    const proto = Object.getPrototypeOf(obj) as { constructor?: { name?: unknown } } | null;
    // A null-prototype object differs from a plain one for code that calls its methods (hasOwnProperty).
    const className = proto === null ? '<null>' : proto === Object.prototype ? '' : String(proto.constructor?.name ?? '?');
    return `C${JSON.stringify(className)}${properties(obj, path)}`;
  };

  let text: string;
  try {
    text = encode(value, root);
  } catch (error) {
    // Nesting deeper than the stack: described by nothing better than "unseen".
    if (!(error instanceof RangeError)) throw error;
    unseen.push(root);
    text = '?deep';
  }
  return { key: createHash('sha256').update(text).digest('base64url'), unseen };
}
