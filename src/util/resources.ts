/**
 * Everything tunelab opens that must be closed for a process to exit promptly — storages,
 * caches, monitors, worker pools — registers here, so `shutdown()` can close it all and
 * `systemStats()` can report on it, without the parts importing each other.
 */
export type ResourceKind = 'storage' | 'cache' | 'monitor' | 'pool' | 'other';

export interface ManagedResource {
  readonly kind: ResourceKind;
  /** Printable, with no secrets (e.g. a storage URL with its password removed). */
  readonly name: string;
  close(): void | Promise<void>;
  /** Figures for systemStats(). */
  stats?(): unknown;
}

const resources = new Set<ManagedResource>();

/** Registers a resource; the returned function unregisters it (call it from the resource's own close). */
export function registerResource(resource: ManagedResource): () => void {
  resources.add(resource);
  return () => {
    resources.delete(resource);
  };
}

export function listResources(kind?: ResourceKind): ManagedResource[] {
  return [...resources].filter((r) => kind === undefined || r.kind === kind);
}

/**
 * Closes every worker pool, monitor, cache and storage tunelab opened in this process (in that
 * order: pools may still write results), so a notebook kernel or script can exit.
 * Safe to call more than once. Errors are collected and thrown together after everything was tried.
 */
export async function shutdown(): Promise<void> {
  const order: ResourceKind[] = ['pool', 'monitor', 'other', 'cache', 'storage'];
  const errors: unknown[] = [];
  for (const kind of order) {
    const batch = listResources(kind);
    for (const r of batch) resources.delete(r);
    const results = await Promise.allSettled(batch.map(async (r) => r.close()));
    for (const result of results) if (result.status === 'rejected') errors.push(result.reason);
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `shutdown(): ${errors.length} resources failed to close`);
}
