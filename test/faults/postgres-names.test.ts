// Issue 14, messages: PostgreSQL study names (and keys) longer than Optuna's varchar(512) or
// holding NUL gave raw PostgreSQL errors. They are refused up front with a message naming the
// limit; every name within it round-trips. Real PostgreSQL.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, PostgresQueryError, StudyNotFoundError } from '../../src/errors.js';
import { PostgresStorage } from '../../src/storage/postgres/storage.js';
import { createStudy, loadStudy } from '../../src/study/create.js';
import { dropSchema, freshSchemaName, postgresUnavailable, urlFor } from '../storage/postgres-helpers.js';
import { requireOrSkip } from '../helpers/require.js';

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`skipping the PostgreSQL name tests: ${unavailable}`);

describe.skipIf(requireOrSkip(unavailable))('PostgreSQL study names and keys (issue 14 messages)', () => {
  const schema = freshSchemaName();
  let storage: PostgresStorage;
  beforeAll(() => {
    storage = new PostgresStorage(urlFor(schema));
  });
  afterAll(async () => {
    await storage.close();
    await dropSchema(schema);
  });

  it('a name over 512 characters is refused with the limit named, not a raw "value too long"', async () => {
    const error = await createStudy({ name: 'n'.repeat(513), storage }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).not.toBeInstanceOf(PostgresQueryError);
    expect((error as Error).message).toMatch(/513 characters long.*at most 512/);
    // 512 characters fit, also when each is several bytes.
    for (const name of ['n'.repeat(512), '🦊'.repeat(512)]) {
      const study = await createStudy({ name, storage });
      expect((await loadStudy(name, storage)).studyId).toBe(study.studyId);
    }
  });

  it('a name with NUL is refused up front; looking one up finds no study instead of failing', async () => {
    const error = await createStudy({ name: 'a\u0000b', storage }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(/NUL/);
    await expect(loadStudy('a\u0000b', storage)).rejects.toBeInstanceOf(StudyNotFoundError);
    await expect(loadStudy('x'.repeat(600), storage)).rejects.toBeInstanceOf(StudyNotFoundError);
  });

  it('attribute keys and parameter names are held to the same rules', async () => {
    const study = await createStudy({ name: 'keys', storage });
    await expect(study.setUserAttr('k\u0000', 1)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(study.setUserAttr('k'.repeat(513), 1)).rejects.toThrow(/at most 512/);
    const trial = await study.ask();
    trial.suggestFloat('p'.repeat(513), 0, 1);
    const told = await study.tell(trial, 1).catch((e: unknown) => e);
    expect(told).toBeInstanceOf(InvalidOptionError);
    expect((told as Error).message).toMatch(/parameter name.*at most 512/);
  });

  it('any name PostgreSQL can hold round-trips; any other is an InvalidOptionError (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), async (name) => {
        const outcome = await createStudy({ name, storage }).then(
          (s) => s,
          (e: unknown) => e,
        );
        if (name.includes('\u0000')) {
          expect(outcome).toBeInstanceOf(InvalidOptionError);
          return;
        }
        if (outcome instanceof Error && outcome.name === 'StudyExistsError') return;
        expect(outcome).not.toBeInstanceOf(Error);
        expect((await loadStudy(name, storage)).name).toBe(name);
      }),
      { numRuns: 40 },
    );
  });
});
