import { InvalidOptionError } from '../errors.js';
import { redactUrl } from '../util/redact.js';
import { InMemoryStorage } from './memory.js';
import { listResources, registerResource } from '../util/resources.js';
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
      (s) => {
        keyOf.set(s, key);
        const unregister = registerResource({
          kind: 'storage',
          name: s.url,
          stats: () => ({ url: s.url }),
          close: async () => {
            unregister();
            forgetStorage(s);
            await s.close();
          },
        });
      },
      () => open.delete(key),
    );
  }
  return storage;
}

const users = new Map<Storage, number>();

/** Like resolveStorage, and counts the caller as a user until it calls releaseStorage. */
export async function acquireStorage(spec: Storage | string): Promise<{ storage: Storage; owned: boolean }> {
  const storage = await resolveStorage(spec);
  if (typeof spec !== 'string') return { storage, owned: false };
  users.set(storage, (users.get(storage) ?? 0) + 1);
  return { storage, owned: true };
}

/**
 * Drops one user of a storage opened from a URL; the last one closes it (a LevelDB directory is
 * then free for another process). Storages passed in as objects belong to their creator.
 */
export async function releaseStorage(storage: Storage): Promise<void> {
  // The process-wide memory store holds nothing to release, and closing it would lose its studies.
  if (storage instanceof InMemoryStorage) return;
  const n = (users.get(storage) ?? 0) - 1;
  if (n > 0) {
    users.set(storage, n);
    return;
  }
  users.delete(storage);
  forgetStorage(storage);
  const resource = listResources('storage').find((r) => r.name === storage.url);
  if (resource) await resource.close();
  else await storage.close();
}

/**
 * Runs `use` with the storage a spec names. A store that was not open before this call is closed
 * again when `use` settles (fulfilled or not), so a one-off call such as deleteStudy leaves a
 * LevelDB directory free for other processes; a store already open here stays open.
 */
export async function useStorage<T>(spec: Storage | string, use: (storage: Storage) => Promise<T>): Promise<T> {
  if (typeof spec !== 'string' || isOpen(spec)) return use(await resolveStorage(spec));
  const { storage } = await acquireStorage(spec);
  try {
    return await use(storage);
  } finally {
    await releaseStorage(storage);
  }
}

/** Whether this process already holds (or is opening) the store a URL names. */
function isOpen(spec: string): boolean {
  const name = /^([a-z][a-z0-9+.-]*):/i.exec(spec)?.[1]?.toLowerCase();
  const scheme = name === undefined ? undefined : schemes.get(name === 'postgresql' ? 'postgres' : name);
  return scheme !== undefined && open.has(scheme.canonicalKey(spec));
}

/** Forgets a URL's cached instance (after the storage was closed), so the next resolve opens it again. */
export function forgetStorage(storage: Storage): void {
  const key = keyOf.get(storage);
  if (key === undefined) return;
  keyOf.delete(storage);
  open.delete(key);
}

