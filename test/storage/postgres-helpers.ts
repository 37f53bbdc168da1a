import pg from 'pg';

/** The test server: PostgreSQL at 127.0.0.1:5432, database `test`, user `postgres`, trust auth (CI starts it with .ci/services.sh). */
export const PG_BASE = process.env['TUNELAB_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL tests cannot run here, or undefined when they can. Checked once per file. */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${PG_BASE} is unreachable (${(error as Error).message}); start it with .ci/services.sh`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let counter = 0;

/** A schema name no other test (or test process) uses. */
export function freshSchemaName(): string {
  return `tl_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

/** The storage URL for a schema, with extra query settings. */
export function urlFor(schema: string, extra = ''): string {
  return `${PG_BASE}?schema=${schema}${extra}`;
}

/** Runs SQL as the test user, outside any storage. */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_BASE });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
