import { LevelStorage } from '../../../src/storage/level/level-storage.js';
import type { Storage } from '../../../src/storage/storage.js';
import { storageConformance } from '../../../src/testing/index.js';
import { removeDir, tempDir } from './helpers.js';

const dirs = new WeakMap<Storage, string>();

async function openIn(dir: string): Promise<Storage> {
  const s = await LevelStorage.open(dir, { keep: 0 });
  dirs.set(s, dir);
  return s;
}

storageConformance('level:', {
  open: async () => openIn(await tempDir()),
  reopen: async (s) => {
    await s.close();
    return openIn(dirs.get(s) as string);
  },
  cleanup: async (s) => {
    await s.close();
    await removeDir(dirs.get(s) as string);
  },
});
