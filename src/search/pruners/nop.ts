import type { Pruner } from '../pruner.js';

/** Never prunes. The default when no pruner is given. */
export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}
