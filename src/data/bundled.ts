import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { csv, type CsvSource } from './csv.js';
import type { CsvOptions } from './csv-options.js';

/** The datasets shipped in tunelab's `datasets/` folder, by name without `.csv`. */
export function bundledNames(): string[] {
  const dir = join(packageRoot(), 'datasets');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.csv')).map((f) => f.slice(0, -4)).sort() : [];
}

/**
 * The absolute path of a bundled dataset, e.g. `bundledPath('btc-usd-1d')`: found from tunelab's
 * own folder, so it works from any working directory (a notebook's folder, a script elsewhere).
 * The package also exports the files: `require.resolve('tunelab/datasets/btc-usd-1d.csv')`.
 */
export function bundledPath(name: string): string {
  const file = join(packageRoot(), 'datasets', `${name.replace(/\.csv$/, '')}.csv`);
  if (typeof name !== 'string' || name.includes('/') || name.includes('\\') || !existsSync(file)) {
    const names = bundledNames();
    throw new InvalidOptionError(`data.bundled(name): no bundled dataset ${JSON.stringify(name)}; bundled: ${names.length > 0 ? names.join(', ') : 'none'}`);
  }
  return file;
}

/** A bundled dataset as a chunked CSV source: `data.bundled('btc-usd-1d')`. */
export function bundled(name: string, opts: CsvOptions = {}): CsvSource {
  return csv(bundledPath(name), opts);
}
