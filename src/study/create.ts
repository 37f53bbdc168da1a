import { InvalidOptionError, StudyExistsError } from '../errors.js';
import type { Pruner } from '../search/pruner.js';
import { NopPruner } from '../search/pruners/nop.js';
import type { Sampler } from '../search/sampler.js';
import { defaultSampler } from '../search/samplers/default.js';
import { acquireStorage, DEFAULT_STORAGE_URL, releaseStorage, useStorage } from '../storage/resolve.js';
import type { Storage, StudySummary } from '../storage/storage.js';
import type { Direction } from '../trial/state.js';
import { Study } from './study.js';

export interface CreateStudyOptions {
  /** A name makes the study persistent (LevelDB in ./.tunelab unless `storage` says otherwise). */
  readonly name?: string;
  readonly direction?: Direction;
  readonly directions?: readonly Direction[];
  /** A Storage, or a URL: 'memory:', 'level:<dir>' (default 'level:.tunelab'), 'postgres://...'. */
  readonly storage?: Storage | string;
  readonly sampler?: Sampler;
  readonly pruner?: Pruner;
  /** Resume the study if one with this name exists instead of failing. */
  readonly loadIfExists?: boolean;
}

export interface LoadStudyOptions {
  readonly sampler?: Sampler;
  readonly pruner?: Pruner;
}

const KNOWN = new Set(['name', 'direction', 'directions', 'storage', 'sampler', 'pruner', 'loadIfExists']);

function checkDirections(options: CreateStudyOptions): readonly Direction[] {
  if (options.direction !== undefined && options.directions !== undefined) {
    throw new InvalidOptionError("createStudy(): give either 'direction' or 'directions', not both");
  }
  const directions = options.directions ?? [options.direction ?? 'minimize'];
  if (!Array.isArray(directions) || directions.length === 0) throw new InvalidOptionError("createStudy({ directions }): expected a non-empty array such as ['minimize', 'maximize']");
  for (const d of directions) {
    if (d !== 'minimize' && d !== 'maximize') throw new InvalidOptionError(`createStudy(): direction must be 'minimize' or 'maximize', got ${JSON.stringify(d)}`);
  }
  return directions;
}

function unnamed(): string {
  return `study-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a study (or, with loadIfExists, resumes the one of that name). */
export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new InvalidOptionError(`createStudy(): unknown option '${key}'; known options are ${[...KNOWN].join(', ')}`);
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
    throw new InvalidOptionError('createStudy({ name }): the name must be a non-empty string');
  }
  const directions = checkDirections(options);
  // A study with no name cannot be found again, so it stays in memory (as Optuna's default).
  const { storage, owned } = await acquireStorage(options.storage ?? (options.name === undefined ? 'memory:' : DEFAULT_STORAGE_URL));
  const name = options.name ?? unnamed();
  let studyId;
  try {
    studyId = await storage.createStudy(name, directions);
  } catch (error) {
    if (!(error instanceof StudyExistsError) || !options.loadIfExists) {
      if (owned) await releaseStorage(storage);
      throw error;
    }
    // Every refusal from here on hands back the storage this call acquired: a LevelDB directory
    // left open would stay locked against other processes until this one exits.
    try {
      const existing = await openStudy(name, storage, owned, options);
      const stored = existing.directions;
      if (stored.length !== directions.length || stored.some((d, i) => d !== directions[i])) {
        throw new InvalidOptionError(
          `study '${name}' exists with directions [${stored.join(', ')}] but createStudy asked for [${directions.join(', ')}]; use the stored directions or a new name`,
        );
      }
      return existing;
    } catch (refused) {
      if (owned) await releaseStorage(storage);
      throw refused;
    }
  }
  return new Study({
    name,
    studyId,
    directions,
    storage,
    sampler: options.sampler ?? defaultSampler(),
    pruner: options.pruner ?? new NopPruner(),
    trials: [],
    userAttrs: {},
    ownsStorage: owned,
  });
}

async function openStudy(name: string, storage: Storage, owned: boolean, options: LoadStudyOptions): Promise<Study> {
  const studyId = await storage.getStudyIdByName(name);
  const [directions, trials, userAttrs] = await Promise.all([
    storage.getStudyDirections(studyId),
    storage.getAllTrials(studyId),
    storage.getStudyUserAttrs(studyId),
  ]);
  return new Study({
    name,
    studyId,
    directions,
    storage,
    sampler: options.sampler ?? defaultSampler(),
    pruner: options.pruner ?? new NopPruner(),
    trials,
    userAttrs,
    ownsStorage: owned,
  });
}

/** loadStudy's options in createStudy's calling style: `loadStudy({ name, storage })`. */
export interface LoadStudyByNameOptions extends LoadStudyOptions {
  readonly name: string;
  readonly storage?: Storage | string;
}

const LOAD_KNOWN = new Set(['name', 'storage', 'sampler', 'pruner']);

/**
 * Opens an existing study; throws StudyNotFoundError if there is none of that name.
 * Takes `(name, storage?, options?)` as Optuna's load_study, or `({ name, storage, sampler, pruner })`
 * as createStudy does.
 */
export async function loadStudy(name: string, storage?: Storage | string, options?: LoadStudyOptions): Promise<Study>;
export async function loadStudy(options: LoadStudyByNameOptions): Promise<Study>;
export async function loadStudy(nameOrOptions: string | LoadStudyByNameOptions, storage: Storage | string = DEFAULT_STORAGE_URL, options: LoadStudyOptions = {}): Promise<Study> {
  if (typeof nameOrOptions !== 'string') return loadStudy(...loadArguments(nameOrOptions));
  const { storage: s, owned } = await acquireStorage(storage);
  try {
    return await openStudy(nameOrOptions, s, owned, options);
  } catch (error) {
    if (owned) await releaseStorage(s);
    throw error;
  }
}

function loadArguments(options: LoadStudyByNameOptions): [string, Storage | string, LoadStudyOptions] {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError(`loadStudy(): expected a study name or { name, storage }, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!LOAD_KNOWN.has(key)) throw new InvalidOptionError(`loadStudy({ ... }): unknown option '${key}'; known options are ${[...LOAD_KNOWN].join(', ')}`);
  }
  if (typeof options.name !== 'string' || options.name.length === 0) {
    throw new InvalidOptionError('loadStudy({ name }): the name of the study to open must be a non-empty string');
  }
  const rest: { -readonly [K in keyof LoadStudyOptions]: LoadStudyOptions[K] } = {};
  if (options.sampler !== undefined) rest.sampler = options.sampler;
  if (options.pruner !== undefined) rest.pruner = options.pruner;
  return [options.name, options.storage ?? DEFAULT_STORAGE_URL, rest];
}

/** Deletes a study. A storage this call had to open (from a URL) is closed again, found or not. */
export async function deleteStudy(name: string, storage: Storage | string = DEFAULT_STORAGE_URL): Promise<void> {
  await useStorage(storage, async (s) => s.deleteStudy(await s.getStudyIdByName(name)));
}

export async function listStudies(storage: Storage | string = DEFAULT_STORAGE_URL): Promise<readonly StudySummary[]> {
  return useStorage(storage, (s) => s.listStudies());
}
