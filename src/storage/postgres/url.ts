import type { PoolConfig } from 'pg';
import { InvalidOptionError } from '../../errors.js';
import { redactUrl } from '../../util/redact.js';

/** The settings of a PostgresStorage that are safe to show (no password, no pg types). */
export interface PostgresPublicSettings {
  /** The URL with the password removed: what `storage.url`, messages and logs show. */
  readonly publicUrl: string;
  /** Seconds between heartbeats of a running trial. */
  readonly heartbeatSeconds: number;
  /** Seconds without a heartbeat after which a RUNNING trial is failed as "heartbeat lost". */
  readonly graceSeconds: number;
  /** Seconds to keep retrying an operation while the server cannot be reached. */
  readonly retrySeconds: number;
  /** The PostgreSQL schema (namespace) that holds the tables. */
  readonly schema: string;
}

/** Everything a PostgresStorage needs from its URL (and the PG* environment variables). */
export interface PostgresSettings extends PostgresPublicSettings {
  /** For pg.Pool; holds the password, so it is never printed. */
  readonly pool: PoolConfig;
  /** The password (if any), so that messages can be scrubbed of it. */
  readonly secret: string | undefined;
}

const ENCODE_HINT = "; percent-encode the user name and password (encodeURIComponent(password)), or leave the password out and set PGPASSWORD";

const QUERY_KEYS = new Set(['heartbeat', 'grace', 'retry', 'schema', 'sslmode', 'application_name']);

/** A percent-encoded part of the URL, decoded; a malformed escape (`%zz`) is a typed error. */
function decodePart(spec: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new InvalidOptionError(`storage URL '${redactUrl(spec)}' holds a '%' that is not followed by two hex digits${ENCODE_HINT}`);
  }
}

function seconds(url: string, key: string, raw: string | null, fallback: number, min: number): number {
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new InvalidOptionError(`storage URL ${url}: ?${key}=${raw} is not a number of seconds >= ${min}; e.g. ?${key}=${fallback}`);
  }
  return value;
}

/**
 * Reads `postgres://user:password@host:port/db?heartbeat=10&grace=30&retry=60&schema=public`.
 * Parts left out come from PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE, as in psql.
 */
export function parsePostgresUrl(spec: string, env: NodeJS.ProcessEnv = process.env): PostgresSettings {
  let u: URL;
  try {
    u = new URL(spec);
  } catch {
    throw new InvalidOptionError(`storage URL '${redactUrl(spec)}' is not a valid URL; expected postgres://user:password@host:port/database${ENCODE_HINT}`);
  }
  // An unencoded '/', '?' or '#' in the password ends the address early: the rest of the password
  // would then be read as the database, a setting or a fragment, and shown in messages.
  const afterScheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(spec)?.[0].length;
  if (afterScheme === undefined) {
    throw new InvalidOptionError(`storage URL '${redactUrl(spec)}' is not a valid URL; expected postgres://user:password@host:port/database`);
  }
  const addressEnd = spec.slice(afterScheme).search(/[/?#]/);
  if (addressEnd >= 0 && spec.indexOf('@', afterScheme + addressEnd) >= 0) {
    throw new InvalidOptionError(`storage URL '${redactUrl(spec)}' has an '@' after the host part: the user name or password holds '/', '?' or '#'${ENCODE_HINT}`);
  }
  const password = u.password === '' ? env['PGPASSWORD'] : decodePart(spec, u.password);
  u.password = '';
  const publicUrl = u.toString();
  for (const key of u.searchParams.keys()) {
    if (!QUERY_KEYS.has(key)) {
      throw new InvalidOptionError(`storage URL ${publicUrl}: unknown setting ?${key}=; known settings are ${[...QUERY_KEYS].join(', ')}`);
    }
  }
  const q = u.searchParams;
  const heartbeatSeconds = seconds(publicUrl, 'heartbeat', q.get('heartbeat'), 10, 0.05);
  const graceSeconds = seconds(publicUrl, 'grace', q.get('grace'), 30, 0.1);
  if (graceSeconds <= heartbeatSeconds) {
    throw new InvalidOptionError(`storage URL ${publicUrl}: grace (${graceSeconds} s) must be longer than heartbeat (${heartbeatSeconds} s), or live trials would be failed; e.g. grace = 3 × heartbeat`);
  }
  const schema = q.get('schema') ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new InvalidOptionError(`storage URL ${publicUrl}: ?schema=${schema} must be a plain identifier (letters, digits, _)`);
  }
  const port = u.port === '' ? Number(env['PGPORT'] ?? 5432) : Number(u.port);
  const database = decodePart(spec, u.pathname.replace(/^\//, '')) || env['PGDATABASE'];
  const user = decodePart(spec, u.username) || env['PGUSER'];
  const host = decodePart(spec, u.hostname) || env['PGHOST'] || 'localhost';
  const pool: PoolConfig = {
    host,
    port,
    ...(user !== undefined && { user }),
    ...(database !== undefined && { database }),
    ...(password !== undefined && { password }),
    ...(q.get('sslmode') === 'require' && { ssl: { rejectUnauthorized: false } }),
    application_name: q.get('application_name') ?? 'tunelab',
    // Optuna stores naive UTC timestamps; a UTC session makes LOCALTIMESTAMP and casts agree with it.
    options: `-c TimeZone=UTC -c search_path=${schema}`,
    max: 4,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 5_000,
  };
  return { pool, publicUrl, secret: password, heartbeatSeconds, graceSeconds, retrySeconds: seconds(publicUrl, 'retry', q.get('retry'), 60, 0), schema };
}
