import { InvalidOptionError } from '../errors.js';
import { InMemoryStorage } from './memory.js';
import type { Storage } from './storage.js';

/** Opens a storage for the part of a URL after its scheme (`level:` + `.tunelab`, `postgres:` + `//...`). */
export type StorageFactory = (url: string) => Storage | Promise<Storage>;

export interface StorageSchemeOptions {
  /**
   * The identity of the store a URL names, for the one-instance-per-store cache: e.g. `level:`
   * plus the absolute directory, so `level:.tunelab` and `level:./.tunelab` share one instance.
   * Defaults to the URL itself.
   */
  readonly canonicalKey?: (url: string) => string;
}

interface Scheme {
  readonly factory: StorageFactory;
  readonly canonicalKey: (url: string) => string;
}

const identity = (url: string): string => url;
const schemes = new Map<string, Scheme>([['memory', { factory: () => new InMemoryStorage(), canonicalKey: identity }]]);
const open = new Map<string, Promise<Storage>>();
const keyOf = new Map<Storage, string>();

/** Where a named study lives when no storage is given. */
export const DEFAULT_STORAGE_URL = 'level:.tunelab';

/** Lets a backend module register its URL scheme, so the engine needs no import of it. */
export function registerStorageScheme(scheme: string, factory: StorageFactory, options: StorageSchemeOptions = {}): void {
  schemes.set(scheme, { factory, canonicalKey: options.canonicalKey ?? identity });
}

/**
 * A Storage for a URL. One instance per store per process: LevelDB can be opened only once, and
 * `memory:` must be the same store for createStudy and a later loadStudy.
 */
export function resolveStorage(spec: Storage | string): Promise<Storage> {
  if (typeof spec !== 'string') return Promise.resolve(spec);
  const name = /^([a-z][a-z0-9+.-]*):/i.exec(spec)?.[1]?.toLowerCase();
  const scheme = name === undefined ? undefined : schemes.get(name === 'postgresql' ? 'postgres' : name);
  if (scheme === undefined) {
    throw new InvalidOptionError(
      `storage '${redactUrl(spec)}' is not a storage URL tunelab knows; use 'memory:', 'level:<directory>' or 'postgres://user@host:port/db' (known schemes: ${[...schemes.keys()].join(', ')})`,
    );
  }
  const key = scheme.canonicalKey(spec);
  let storage = open.get(key);
  if (storage === undefined) {
    storage = Promise.resolve().then(() => scheme.factory(spec));
    open.set(key, storage);
    storage.then(
      (s) => keyOf.set(s, key),
      () => open.delete(key),
    );
  }
  return storage;
}

/** Forgets a URL's cached instance (after the storage was closed), so the next resolve opens it again. */
export function forgetStorage(storage: Storage): void {
  const key = keyOf.get(storage);
  if (key === undefined) return;
  keyOf.delete(storage);
  open.delete(key);
}

/** The URL with any password replaced, safe for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
