import { storageConformance } from '../../src/testing/index.js';
import { PostgresStorage } from '../../src/storage/postgres/storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { dropSchema, freshSchemaName, postgresUnavailable, urlFor } from './postgres-helpers.js';
import { describe, it } from 'vitest';

const unavailable = await postgresUnavailable();
if (unavailable) {
  console.warn(`skipping the PostgreSQL storage conformance suite: ${unavailable}`);
  describe('storage conformance: postgres', () => it.skip(`skipped: ${unavailable}`, () => undefined));
} else {
  const schemas = new Map<Storage, string>();
  const openAt = async (schema: string): Promise<Storage> => {
    const s = new PostgresStorage(urlFor(schema));
    await s.schemaRevision;
    schemas.set(s, schema);
    return s;
  };
  storageConformance('postgres', {
    open: () => openAt(freshSchemaName()),
    // A new instance has no cache: reads come from the database.
    reopen: async (s) => {
      await s.close();
      return openAt(schemas.get(s) as string);
    },
    cleanup: async (s) => {
      await s.close();
      await dropSchema(schemas.get(s) as string);
    },
  });
}
