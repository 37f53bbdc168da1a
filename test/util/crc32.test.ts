import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/util/crc32.js';
import { requireOrSkip } from '../helpers/require.js';

describe('crc32', () => {
  it('gives the standard check value and zlib-compatible results', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    expect(crc32('The quick brown fox jumps over the lazy dog')).toBe(0x414fa339);
  });

  const python = spawnSync('/usr/bin/python3', ['-c', 'print(1)'], { encoding: 'utf8' });
  it.skipIf(requireOrSkip(python.status === 0 ? undefined : '/usr/bin/python3 does not run'))("matches Python's binascii.crc32 on study names with non-ASCII text", () => {
    const names = ['study_0', 'xcheck-hyperband_41', 'études-κ_7', '🙂_12'];
    const run = spawnSync('/usr/bin/python3', ['-c', 'import binascii,json,sys; print(json.dumps([binascii.crc32(s.encode()) for s in json.loads(sys.argv[1])]))', JSON.stringify(names)], {
      encoding: 'utf8',
    });
    expect(JSON.parse(run.stdout)).toEqual(names.map(crc32));
  });
});
