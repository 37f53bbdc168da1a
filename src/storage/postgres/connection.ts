import { createHash } from 'node:crypto';
import pg from 'pg';
import { PostgresQueryError, StorageError, TunelabError } from '../../errors.js';
import type { PostgresSettings } from './url.js';

/** A raw pg error carries at most these; never the connection config. */
interface PgErrorLike {
  readonly code?: string;
  readonly message?: string;
}

// Server going away (admin shutdown, crash, restart), refusing connections, or the socket dying.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '40001', '40P01']);

/** True for errors that a later attempt can get past: lost connections, restarts, serialization failures. */
export function isTransient(error: unknown): boolean {
  const e = error as PgErrorLike | undefined;
  if (e?.code !== undefined && CONNECTION_CODES.has(e.code)) return true;
  const message = e?.message ?? '';
  return /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed|not queryable/i.test(message);
}

// Not unref'd: while the server is away, the backoff timer may be all that keeps a worker alive.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a retried operation learns about its attempt, so that it can tell "my commit was lost" apart. */
export interface Attempt {
  readonly retry: boolean;
}

/**
 * The connection pool, plus the two rules every query follows: errors are re-thrown as
 * StorageError with the password scrubbed, and transient failures are retried with
 * exponential backoff for `retrySeconds` before giving up.
 */
export class Database {
  readonly #pool: pg.Pool;
  readonly #relaxed: pg.Pool;
  readonly #settings: PostgresSettings;
  #closed = false;

  constructor(settings: PostgresSettings) {
    this.#settings = settings;
    this.#pool = new pg.Pool({ ...settings.pool, types: { getTypeParser: typeParser } });
    // An idle client whose server went away emits 'error' on the pool; the next query
    // reconnects (and retries), so this must not crash the process.
    this.#pool.on('error', () => undefined);
    // For writes that a later durable commit covers (see PostgresStorage.updateTrial): their
    // commit does not wait for the disk, which is most of a small write's cost.
    this.#relaxed = new pg.Pool({ ...settings.pool, max: 2, options: `${settings.pool.options ?? ''} -c synchronous_commit=off`, types: { getTypeParser: typeParser } });
    this.#relaxed.on('error', () => undefined);
  }

  /** Runs `fn` inside BEGIN … COMMIT on one client; retried as a whole on transient failure. */
  transaction<T>(what: string, fn: (client: pg.PoolClient, attempt: Attempt) => Promise<T>): Promise<T> {
    return this.#retrying(what, async (attempt) => {
      const client = await this.#pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(client, attempt);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = isTransient(error);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release(broken);
      }
    });
  }

  /** One statement outside a transaction (autocommit): atomic by itself, one round trip. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(what: string, text: string, values: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    return this.#retrying(what, () => this.#pool.query<R>(prepared(text, values)));
  }

  /** Like query, and says whether the answer came from a retry (an earlier attempt may have committed). */
  async queryAttempt<R extends pg.QueryResultRow = pg.QueryResultRow>(what: string, text: string, values: readonly unknown[], options: { readonly relaxed?: boolean } = {}): Promise<{ result: pg.QueryResult<R>; retry: boolean }> {
    let retry = false;
    const pool = options.relaxed === true ? this.#relaxed : this.#pool;
    const result = await this.#retrying(what, (attempt) => {
      retry = attempt.retry;
      return pool.query<R>(prepared(text, values));
    });
    return { result, retry };
  }

  /**
   * Several statements in one round trip (simple query protocol, so no parameters: callers
   * inline only integers and fixed keywords). They run as one implicit transaction, each
   * statement with its own snapshot. Returns the last statement's rows.
   */
  async script<R extends pg.QueryResultRow = pg.QueryResultRow>(what: string, text: string): Promise<R[]> {
    const results = (await this.#retrying(what, () => this.#pool.query(text))) as unknown as pg.QueryResult<R> | pg.QueryResult<R>[];
    const last = Array.isArray(results) ? results[results.length - 1] : results;
    return last?.rows ?? [];
  }

  /** One attempt, no retries: for heartbeats, which simply try again at the next beat. */
  async tryQuery(text: string, values: readonly unknown[]): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await this.#relaxed.query(prepared(text, values));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#pool.end(), this.#relaxed.end()]);
  }

  async #retrying<T>(what: string, fn: (attempt: Attempt) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#settings.retrySeconds * 1000;
    let delay = 50;
    for (let n = 0; ; n++) {
      if (this.#closed) throw new StorageError(`${what} on ${this.#settings.publicUrl}: the storage was closed`);
      try {
        return await fn({ retry: n > 0 });
      } catch (error) {
        if (!isTransient(error) || Date.now() + delay > deadline) throw this.#wrap(what, error, n);
        await sleep(delay);
        delay = Math.min(delay * 2, 2_000);
      }
    }
  }

  /** A StorageError naming the operation and the (password-free) URL; the raw error is not kept, as it may echo connection details. */
  #wrap(what: string, error: unknown, retries: number): unknown {
    // Our own errors (TrialFinishedError, StudyExistsError, ...) thrown inside `fn` pass unchanged.
    if (error instanceof TunelabError) return error;
    const e = error as PgErrorLike;
    let message = e?.message ?? String(error);
    const secret = this.#settings.secret;
    if (secret) message = message.split(secret).join('***');
    const tried = retries > 0 ? ` (after ${retries} retries over ${this.#settings.retrySeconds} s; raise ?retry= to wait longer)` : '';
    const hint = isTransient(error) ? '; is PostgreSQL running and reachable? (pg_isready -h HOST -p PORT)' : '';
    return new PostgresQueryError(`${what} on ${this.#settings.publicUrl} failed: ${message}${e?.code ? ` [${e.code}]` : ''}${tried}${hint}`, e?.code);
  }
}

const names = new Map<string, string>();

/**
 * A named (server-side prepared) statement: each connection parses and plans a statement shape
 * once, not at every trial. Names come from the text, so equal texts share one.
 */
function prepared(text: string, values: readonly unknown[]): pg.QueryConfig {
  let name = names.get(text);
  if (name === undefined) {
    name = `tl_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return { name, text, values: values as unknown[] };
}

// Optuna's timestamps are naive UTC; pg would read them as local time.
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === 1114) return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
  return (pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown)(oid, format);
}
