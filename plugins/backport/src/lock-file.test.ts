import { describe, expect, it } from 'vitest';
import { environmentKey, formatLock, LockParseError, parseLock } from './lock-file.js';

const COMPILED = `numpy==1.24.2 \\
    --hash=sha256:aaa \\
    --hash=sha256:bbb
Pandas==1.5.3 \\
    --hash=sha256:ccc
torch==2.13.0+cpu \\
    --hash=sha256:ddd
`;

describe('lock files', () => {
  it('round-trips header and pins, names normalized and sorted', () => {
    const text = formatLock({ pythonVersion: '3.10.13', excludeNewer: '2023-03-01T00:00:00Z', kernelExcludeNewer: '2026-11-23T00:00:00Z', targetDate: '2023-03-01T00:00:00.000Z', kind: 'backport', findLinks: ['/opt/wheels'] }, COMPILED);
    const lock = parseLock(text);
    expect(lock.header).toEqual({ pythonVersion: '3.10.13', excludeNewer: '2023-03-01T00:00:00Z', kernelExcludeNewer: '2026-11-23T00:00:00Z', targetDate: '2023-03-01T00:00:00.000Z', kind: 'backport', findLinks: ['/opt/wheels'] });
    expect(lock.pins).toEqual([
      { name: 'numpy', version: '1.24.2' },
      { name: 'pandas', version: '1.5.3' },
      { name: 'torch', version: '2.13.0+cpu' },
    ]);
    expect(lock.hashed).toBe(true);
  });

  it('reads a plain requirements file of pins, and says when hashes are missing', () => {
    const lock = parseLock('numpy==1.26.4\npandas==2.2.2 --hash=sha256:abc\n');
    expect(lock.header.pythonVersion).toBeNull();
    expect(lock.pins.map((pin) => pin.name)).toEqual(['numpy', 'pandas']);
    expect(lock.hashed).toBe(false);
  });

  it('refuses anything that is not an exact pin', () => {
    expect(() => parseLock('numpy>=1.0\n')).toThrow(LockParseError);
  });
});

describe('environmentKey', () => {
  const pins = [
    { name: 'numpy', version: '1.24.2' },
    { name: 'pandas', version: '1.5.3' },
  ];

  it('depends on the interpreter and the pins, not their order', () => {
    expect(environmentKey('3.10.13', pins)).toBe(environmentKey('3.10.13', [...pins].reverse()));
    expect(environmentKey('3.10.13', pins)).toMatch(/^py3\.10\.13-[0-9a-f]{16}$/);
    expect(environmentKey('3.10.12', pins)).not.toBe(environmentKey('3.10.13', pins));
    expect(environmentKey('3.10.13', [pins[0]!, { name: 'pandas', version: '1.5.2' }])).not.toBe(environmentKey('3.10.13', pins));
  });
});
