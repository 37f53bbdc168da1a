import { InvalidOptionError } from '../errors.js';
import { InMemoryStorage } from './memory.js';
import type { Storage } from './storage.js';

/** Opens a storage for the part of a URL after its scheme (`level:` + `.tunelab`, `postgres:` + `//...`). */
export type StorageFactory = (url: string) => Storage | Promise<Storage>;

const factories = new Map<string, StorageFactory>([['memory', () => new InMemoryStorage()]]);
const open = new Map<string, Promise<Storage>>();

/** Where a named study lives when no storage is given. */
export const DEFAULT_STORAGE_URL = 'level:.tunelab';

/** Lets a backend module register its URL scheme, so the engine needs no import of it. */
export function registerStorageScheme(scheme: string, factory: StorageFactory): void {
  factories.set(scheme, factory);
}

/**
 * A Storage for a URL. One instance per URL per process: LevelDB can be opened only once, and
 * `memory:` must be the same store for createStudy and a later loadStudy.
 */
export function resolveStorage(spec: Storage | string): Promise<Storage> {
  if (typeof spec !== 'string') return Promise.resolve(spec);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(spec)?.[1]?.toLowerCase();
  const factory = scheme === undefined ? undefined : factories.get(scheme === 'postgresql' ? 'postgres' : scheme);
  if (factory === undefined) {
    throw new InvalidOptionError(
      `storage '${redactUrl(spec)}' is not a storage URL tunelab knows; use 'memory:', 'level:<directory>' or 'postgres://user@host:port/db' (known schemes: ${[...factories.keys()].join(', ')})`,
    );
  }
  const key = spec;
  let storage = open.get(key);
  if (storage === undefined) {
    storage = Promise.resolve(factory(spec));
    open.set(key, storage);
    storage.catch(() => open.delete(key));
  }
  return storage;
}

/** Forgets a URL's cached instance (after the storage was closed). */
export function forgetStorage(storage: Storage): void {
  for (const [key, value] of open) {
    void value.then((s) => {
      if (s === storage) open.delete(key);
    });
  }
}

/** The URL with any password replaced, safe for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
