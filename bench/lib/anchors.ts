import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: bench scripts run from dist/bench/, sources from bench/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const ANCHORS_PATH = '../shared/anchors/optuna.md';

/** The rows of the markdown tables in the anchors file whose first cells match, or undefined if the file is absent. */
export function anchorRows(): string[][] | undefined {
  const path = resolve(projectRoot(), ANCHORS_PATH);
  if (!existsSync(path)) return undefined;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---'))
    .map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
}

export const OPTUNA4_ANCHORS_PATH = '../shared/anchors/optuna4-gp.md';

/** Rows of the Optuna 4.9 GP / CMA-ES / TPE regret table: [function, sampler, r@25, r@50, r@100, IQR@100, s per study]. */
export function optuna4Rows(): string[][] | undefined {
  const path = resolve(projectRoot(), OPTUNA4_ANCHORS_PATH);
  if (!existsSync(path)) return undefined;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---') && !line.startsWith('| function'))
    .map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
}
