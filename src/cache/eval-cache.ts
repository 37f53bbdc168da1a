import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import NodeCache from 'node-cache';
import { Level } from 'level';
import { InvalidOptionError } from '../errors.js';
import type { JsonValue } from '../util/json.js';
import { canonicalJson } from '../util/json.js';
import { evaluationKey, sourceIdentity } from './keys.js';

export interface EvalCacheOptions {
  /** Directory of the on-disk level (LevelDB); false keeps the cache in memory only. Default `.tunelab/cache`. */
  readonly dir?: string | false;
  /** Seconds an entry lives, in both levels; 0 or absent: no expiry. */
  readonly ttlSeconds?: number;
  /** Entries kept in memory (node-cache); the least recently used are dropped past it. Default 10,000. */
  readonly maxKeys?: number;
  /** Bytes kept on disk; least-recently-used entries are evicted past it. Default 256 MiB. */
  readonly maxBytes?: number;
  /** Mixed into every key: bump it when something the keys cannot see has changed. */
  readonly version?: string;
}

export interface EvalCacheStats {
  readonly memoryHits: number;
  readonly diskHits: number;
  readonly misses: number;
  readonly writes: number;
  readonly evictions: number;
  readonly memoryKeys: number;
  readonly diskKeys: number;
  readonly diskBytes: number;
  readonly hitRatio: number;
  readonly dir: string | undefined;
  /** Set when the disk level could not be used; the cache then runs from memory only. */
  readonly diskError: string | undefined;
}

interface DiskEntry {
  readonly v: JsonValue;
  /** Written at (ms). */
  readonly t: number;
}

interface DiskIndexEntry {
  size: number;
  written: number;
  used: number;
}

export const DEFAULT_CACHE_DIR = '.tunelab/cache';

/**
 * Memoized evaluations in two levels: node-cache in memory (fast, bounded by keys, TTL) over
 * LevelDB on disk (persistent, TTL, bounded by bytes with least-recently-used eviction).
 * A missing or damaged directory never fails the caller: it warns once and misses.
 */
export class EvalCache {
  readonly version: string | undefined;
  readonly #memory: NodeCache;
  readonly #ttlMs: number;
  readonly #maxBytes: number;
  readonly #dir: string | undefined;
  #disk: Level<string, DiskEntry> | undefined;
  #opening: Promise<void> | undefined;
  readonly #index = new Map<string, DiskIndexEntry>();
  #diskBytes = 0;
  #diskError: string | undefined;
  #warned = false;
  readonly #inFlight = new Map<string, Promise<JsonValue>>();
  #memoryHits = 0;
  #diskHits = 0;
  #misses = 0;
  #writes = 0;
  #evictions = 0;

  constructor(options: EvalCacheOptions = {}) {
    const { ttlSeconds = 0, maxKeys = 10_000, maxBytes = 256 * 1024 * 1024 } = options;
    if (!(ttlSeconds >= 0)) throw new InvalidOptionError(`EvalCache({ ttlSeconds }): expected seconds >= 0, got ${ttlSeconds}`);
    if (!(Number.isInteger(maxKeys) && maxKeys > 0)) throw new InvalidOptionError(`EvalCache({ maxKeys }): expected a whole number > 0, got ${maxKeys}`);
    if (!(maxBytes > 0)) throw new InvalidOptionError(`EvalCache({ maxBytes }): expected a number of bytes > 0, got ${maxBytes}`);
    this.version = options.version;
    this.#ttlMs = ttlSeconds * 1000;
    this.#maxBytes = maxBytes;
    this.#dir = options.dir === false ? undefined : resolve(options.dir ?? DEFAULT_CACHE_DIR);
    // useClones: false — values are treated as immutable, and cloning large results would cost
    // more than the evaluation cache saves on small ones.
    this.#memory = new NodeCache({ stdTTL: ttlSeconds, checkperiod: ttlSeconds > 0 ? Math.max(1, Math.min(600, ttlSeconds)) : 0, useClones: false, maxKeys: -1 });
    this.#maxKeys = maxKeys;
    // An entry past its TTL leaves node-cache on its own; it must not keep a place in the bound.
    this.#memory.on('expired', (key: string) => this.#memoryOrder.delete(key));
  }

  readonly #maxKeys: number;
  /** The memory level only: no I/O, for the hot path. */
  getSync(key: string): JsonValue | undefined {
    const v = this.#memory.get<JsonValue>(key);
    if (v !== undefined) this.#hitInMemory(key);
    return v;
  }

  async get(key: string): Promise<JsonValue | undefined> {
    const inMemory = this.#memory.get<JsonValue>(key);
    if (inMemory !== undefined) {
      this.#hitInMemory(key);
      const entry = this.#index.get(key);
      if (entry) entry.used = Date.now();
      return inMemory;
    }
    const disk = await this.#openDisk();
    if (disk && this.#index.has(key)) {
      try {
        const entry = await disk.get(key);
        if (entry !== undefined && !this.#expired(entry.t)) {
          this.#diskHits++;
          (this.#index.get(key) as DiskIndexEntry).used = Date.now();
          this.#remember(key, entry.v);
          return entry.v;
        }
        if (entry !== undefined) await this.#deleteFromDisk(key);
      } catch (error) {
        this.#fail(error);
      }
    }
    this.#misses++;
    return undefined;
  }

  async set(key: string, value: JsonValue): Promise<void> {
    this.#writes++;
    this.#remember(key, value);
    const disk = await this.#openDisk();
    if (!disk) return;
    const entry: DiskEntry = { v: value, t: Date.now() };
    const size = key.length + canonicalJson(entry as unknown as JsonValue).length;
    try {
      await disk.put(key, entry);
      const previous = this.#index.get(key);
      this.#diskBytes += size - (previous?.size ?? 0);
      this.#index.set(key, { size, written: entry.t, used: entry.t });
      await this.#evict();
    } catch (error) {
      this.#fail(error);
    }
  }

  async delete(key: string): Promise<void> {
    this.#memory.del(key);
    this.#memoryOrder.delete(key);
    if (await this.#openDisk()) await this.#deleteFromDisk(key);
  }

  /** Keys (on disk and in memory) that start with a prefix, e.g. one objective's scope. */
  async keys(prefix: string): Promise<string[]> {
    await this.#openDisk();
    const out = new Set<string>();
    for (const key of this.#index.keys()) if (key.startsWith(prefix)) out.add(key);
    for (const key of this.#memory.keys()) if (key.startsWith(prefix)) out.add(key);
    return [...out];
  }

  async clear(): Promise<void> {
    this.#memory.flushAll();
    this.#memoryOrder.clear();
    const disk = await this.#openDisk();
    if (disk) await disk.clear();
    this.#index.clear();
    this.#diskBytes = 0;
  }

  /**
   * Memoizes an async or sync function of JSON-safe arguments. Concurrent calls with the same
   * arguments share one computation.
   */
  wrap<A extends readonly JsonValue[], R extends JsonValue>(fn: (...args: A) => R | Promise<R>, options: { readonly version?: string } = {}): (...args: A) => Promise<R> {
    const scope = { objective: sourceIdentity(fn as (...args: never[]) => unknown), ...(this.#scopeVersion(options.version) && { version: this.#scopeVersion(options.version) as string }) };
    return async (...args: A): Promise<R> => {
      const key = evaluationKey(scope, { args: args as unknown as JsonValue });
      const hit = await this.get(key);
      if (hit !== undefined) return hit as R;
      let pending = this.#inFlight.get(key);
      if (!pending) {
        pending = (async () => {
          const value = await fn(...args);
          await this.set(key, value);
          return value;
        })();
        this.#inFlight.set(key, pending);
        pending.finally(() => this.#inFlight.delete(key)).catch(() => undefined);
      }
      return (await pending) as R;
    };
  }

  stats(): EvalCacheStats {
    const lookups = this.#memoryHits + this.#diskHits + this.#misses;
    return {
      memoryHits: this.#memoryHits,
      diskHits: this.#diskHits,
      misses: this.#misses,
      writes: this.#writes,
      evictions: this.#evictions,
      memoryKeys: this.#memory.getStats().keys,
      diskKeys: this.#index.size,
      diskBytes: this.#diskBytes,
      hitRatio: lookups === 0 ? 0 : (this.#memoryHits + this.#diskHits) / lookups,
      dir: this.#dir,
      diskError: this.#diskError,
    };
  }

  async close(): Promise<void> {
    this.#memory.close();
    const disk = this.#disk;
    this.#disk = undefined;
    if (disk) await disk.close().catch(() => undefined);
  }

  /** `await using cache = new EvalCache(...)` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  [inspect.custom](): string {
    const s = this.stats();
    return `EvalCache(${s.dir ?? 'memory only'}: ${s.memoryKeys} in memory, ${s.diskKeys} on disk, hit ratio ${(s.hitRatio * 100).toFixed(1)}%${s.diskError ? `, disk off: ${s.diskError}` : ''})`;
  }

  #scopeVersion(extra: string | undefined): string | undefined {
    if (this.version === undefined) return extra;
    return extra === undefined ? this.version : `${this.version}/${extra}`;
  }

  /** @internal The version to mix into evaluation scopes. */
  scopeVersion(extra?: string): string | undefined {
    return this.#scopeVersion(extra);
  }

  #hitInMemory(key: string): void {
    this.#memoryHits++;
    this.#memoryOrder.delete(key);
    this.#memoryOrder.add(key);
  }

  #remember(key: string, value: JsonValue): void {
    // node-cache refuses sets past its maxKeys; we drop the least recently used entry instead,
    // tracked in a Set: it iterates in insertion order, and a hit or a write re-inserts its key
    // at the end, so the first key is the one unused the longest.
    this.#memoryOrder.delete(key);
    this.#memoryOrder.add(key);
    if (this.#memoryOrder.size > this.#maxKeys) {
      const oldest = this.#memoryOrder.values().next().value as string;
      this.#memoryOrder.delete(oldest);
      this.#memory.del(oldest);
    }
    this.#memory.set(key, value);
  }

  readonly #memoryOrder = new Set<string>();

  #expired(writtenAt: number): boolean {
    return this.#ttlMs > 0 && Date.now() - writtenAt > this.#ttlMs;
  }

  async #deleteFromDisk(key: string): Promise<void> {
    const entry = this.#index.get(key);
    if (!entry || !this.#disk) return;
    this.#index.delete(key);
    this.#diskBytes -= entry.size;
    try {
      await this.#disk.del(key);
    } catch (error) {
      this.#fail(error);
    }
  }

  async #evict(): Promise<void> {
    if (this.#diskBytes <= this.#maxBytes || !this.#disk) return;
    const byUse = [...this.#index.entries()].sort((a, b) => a[1].used - b[1].used);
    const batch = this.#disk.batch();
    for (const [key, entry] of byUse) {
      if (this.#diskBytes <= this.#maxBytes * 0.9) break;
      batch.del(key);
      this.#index.delete(key);
      this.#diskBytes -= entry.size;
      this.#memory.del(key);
      this.#evictions++;
    }
    await batch.write();
  }

  #openDisk(): Promise<Level<string, DiskEntry> | undefined> {
    if (this.#dir === undefined || this.#diskError !== undefined) return Promise.resolve(undefined);
    if (this.#disk) return Promise.resolve(this.#disk);
    this.#opening ??= (async () => {
      const dir = this.#dir as string;
      try {
        mkdirSync(dir, { recursive: true });
        const db = new Level<string, DiskEntry>(dir, { valueEncoding: 'json' });
        await db.open();
        const now = Date.now();
        const expired: string[] = [];
        for await (const [key, entry] of db.iterator()) {
          if (this.#expired(entry.t)) expired.push(key);
          else {
            const size = key.length + canonicalJson(entry as unknown as JsonValue).length;
            this.#index.set(key, { size, written: entry.t, used: entry.t || now });
            this.#diskBytes += size;
          }
        }
        if (expired.length > 0) await db.batch(expired.map((key) => ({ type: 'del' as const, key })));
        this.#disk = db;
      } catch (error) {
        this.#fail(error);
      }
    })();
    return this.#opening.then(() => this.#disk);
  }

  #fail(error: unknown): void {
    const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    this.#diskError ??= reason;
    if (!this.#warned) {
      this.#warned = true;
      process.emitWarning(
        `tunelab: the evaluation cache at ${this.#dir} cannot be used (${reason}); evaluations will be recomputed. Delete the directory to start a fresh cache.`,
        { code: 'TUNELAB_CACHE_UNAVAILABLE' },
      );
    }
    const disk = this.#disk;
    this.#disk = undefined;
    this.#index.clear();
    this.#diskBytes = 0;
    if (disk) void disk.close().catch(() => undefined);
  }
}
