import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Danfo from 'danfojs';
import { InvalidOptionError } from '../errors.js';
import { builtPath } from '../util/package-root.js';

/** danfojs' DataFrame and Series: the classes every DataFrame tunelab hands out is built from. */
export type { DataFrame, Series } from 'danfojs';

/** What tunelab's build of danfojs holds: its DataFrame core, without file I/O or plots. */
export type DanfoModule = Pick<
  typeof Danfo,
  | 'DataFrame' | 'Series' | 'NDframe' | 'Config' | 'Utils' | 'Str' | 'Dt' | 'toDateTime' | 'concat' | 'merge' | 'dateRange'
  | 'getDummies' | 'MinMaxScaler' | 'StandardScaler' | 'LabelEncoder' | 'OneHotEncoder' | 'tensorflow' | '__version'
>;

let loaded: DanfoModule | undefined;

/**
 * danfojs (its DataFrame core: DataFrame, Series, concat, merge, scalers, ...), loaded on first
 * use: it pulls in TensorFlow.js and costs about two seconds and 150 MB, which the typed-column
 * path never needs. It is tunelab's own build of danfojs on the @tensorflow/tfjs that tunelab
 * installs (scripts/build-danfojs.mjs says why), so the same file runs in tests and for users.
 * File I/O (`readCSV`, `toCSV`, Excel) and plots are not in it: read with data.csv().
 */
export function danfojs(): DanfoModule {
  if (loaded !== undefined) return loaded;
  const file = builtPath('vendor/danfojs/index.js');
  if (!existsSync(file)) throw new InvalidOptionError(`danfojs DataFrames: the file ${file} is missing; build tunelab first (npm run build)`);
  loaded = createRequire(import.meta.url)(file) as DanfoModule;
  return loaded;
}
