import { storageConformance } from '../../src/testing/index.js';
import { PostgresStorage } from '../../src/storage/postgres/storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { dropSchema, freshSchemaName, postgresUnavailable, urlFor } from './postgres-helpers.js';
import { requireOrSkip } from '../helpers/require.js';

const unavailable = await postgresUnavailable();
if (!requireOrSkip(unavailable)) {
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
