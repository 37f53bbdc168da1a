import { resolve } from 'node:path';
import { InvalidOptionError } from '../../errors.js';
import { registerStorageScheme, resolveStorage } from '../resolve.js';
import { LevelStorage, type LevelStorageOptions } from './level-storage.js';

interface ParsedLevelUrl {
  readonly dir: string;
  readonly options: LevelStorageOptions;
}

const QUERY_KEYS = ['backupEvery', 'keep', 'backupDir'] as const;

/**
 * `level:<dir>[?backupEvery=N&keep=K&backupDir=<dir>]`; the directory is relative to the working
 * directory. `level:` alone means `.tunelab`.
 */
export function parseLevelUrl(url: string): ParsedLevelUrl {
  const rest = url.replace(/^level:/i, '');
  const q = rest.indexOf('?');
  const dir = decodeURIComponent(q < 0 ? rest : rest.slice(0, q)) || '.tunelab';
  const options: { -readonly [K in keyof LevelStorageOptions]: LevelStorageOptions[K] } = {};
  if (q >= 0) {
    for (const [key, value] of new URLSearchParams(rest.slice(q + 1))) {
      if (key === 'backupDir') {
        options.backupDir = value;
        continue;
      }
      if (key !== 'backupEvery' && key !== 'keep') {
        throw new InvalidOptionError(`storage '${url}': unknown option '${key}'; level: URLs take ${QUERY_KEYS.join(', ')}, e.g. 'level:.tunelab?backupEvery=100&keep=5'`);
      }
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new InvalidOptionError(`storage '${url}': ${key} must be a whole number >= 0, got '${value}'`);
      options[key] = n;
    }
  }
  return { dir, options };
}

/** The one-instance-per-directory key: `level:` plus the absolute path (options do not count). */
export function levelCanonicalKey(url: string): string {
  return `level:${resolve(parseLevelUrl(url).dir)}`;
}

registerStorageScheme(
  'level',
  (url) => {
    const { dir, options } = parseLevelUrl(url);
    return LevelStorage.open(dir, options, url);
  },
  { canonicalKey: levelCanonicalKey },
);

/**
 * The LevelDB storage in a directory, shared with every `level:` URL naming the same directory in
 * this process (LevelDB opens once per process: if the directory is already open, that instance is
 * returned and these options are ignored).
 */
export async function levelStorage(dir = '.tunelab', options: LevelStorageOptions = {}): Promise<LevelStorage> {
  const query = new URLSearchParams();
  for (const key of QUERY_KEYS) if (options[key] !== undefined) query.set(key, String(options[key]));
  const text = query.toString();
  return (await resolveStorage(`level:${dir}${text ? `?${text}` : ''}`)) as LevelStorage;
}
