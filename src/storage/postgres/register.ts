import { registerStorageScheme } from '../resolve.js';
import { PostgresStorage } from './storage.js';

registerStorageScheme('postgres', async (url) => {
  const storage = new PostgresStorage(url);
  try {
    // Report an unreachable server or a foreign schema when the study is opened, not at its first trial.
    await storage.schemaRevision;
  } catch (error) {
    await storage.close();
    throw error;
  }
  return storage;
});
