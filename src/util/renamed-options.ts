import { InvalidOptionError } from '../errors.js';

/**
 * Memory options in MiB were once named `…MB` (maxRssMB, maxWorkerHeapMB, recycle.maxHeapMB). The
 * old name is refused with the new one, not ignored: a limit that silently stops applying is the
 * worst outcome of a rename.
 */
export const MIB_RENAMES: Readonly<Record<string, string>> = {
  maxRssMB: 'maxRssMiB',
  maxWorkerHeapMB: 'maxWorkerHeapMiB',
  maxHeapMB: 'maxHeapMiB',
};

/** Throws InvalidOptionError for the first old option name `options` holds; `where` is how the call reads, e.g. 'MemoryMonitor'. */
export function refuseRenamedOptions(where: string, options: object, renames: Readonly<Record<string, string>> = MIB_RENAMES): void {
  for (const key of Object.keys(options)) {
    const now = renames[key];
    if (now !== undefined && Object.prototype.hasOwnProperty.call(renames, key)) {
      throw new InvalidOptionError(`${where}({ ${key} }): renamed to ${now} (the figure is in MiB, 2^20 bytes); write { ${now}: … } instead`);
    }
  }
}
