import { describe, expect, it } from 'vitest';
import { classifyUvFailure, trimToolMessage, type FailureMode } from './failure-mode.js';

// uv 0.13.9's stderr for each case, recorded from real runs on this machine (abridged where long);
// the integration tests provoke the same failures for real.
const RECORDED: [FailureMode, string][] = [
  [
    'no-interpreter',
    "error: Failed to inspect Python interpreter from provided path at `/root/.pyenv/versions/2.7.18/bin/python`\n  cause: Can't use Python at `/root/.pyenv/versions/2.7.18/bin/python`\n  cause: Python executable does not support `-I` flag. Please use Python 3.6 or newer.",
  ],
  [
    'no-wheel',
    'error: No solution found when resolving dependencies\n  cause: Because all of:\n             numpy<=1.9.3\n          have no usable wheels and only the following versions of numpy are available:\n' +
      'hint: Wheels are required for `numpy` because building from source is disabled for all packages (i.e., with `--no-build`)',
  ],
  [
    'build-failed',
    'error: Failed to build `mysql-python==1.2.5`\n  cause: The build backend returned an error\n  cause: Call to `setuptools.build_meta:__legacy__.get_requires_for_build_wheel` failed (exit status: 1)\n         ModuleNotFoundError: No module named \'ConfigParser\'',
  ],
  [
    'build-failed',
    'error: Failed to download and build `mysql-python==1.2.5`\n  cause: Failed to resolve requirements from `setup.py` build\n  cause: No solution found when resolving: `setuptools>=40.8.0`',
  ],
  [
    'invalid-metadata',
    'error: No solution found when resolving dependencies\n  cause: Because all of:\n             pandas==0.19.2\n             pandas>=0.20.1\n          have invalid metadata and you require pandas, we can conclude that your requirements are unsatisfiable.\n' +
      'hint: Wheels are required for `pandas` because building from source is disabled for all packages (i.e., with `--no-build`)\nhint: Metadata for `pandas` (v0.20.1) could not be parsed:\n  after parsing `2011`, found `k`, which is not part of a valid version',
  ],
  [
    'resolution-conflict',
    "error: No solution found when resolving dependencies\n  cause: Because pandas>=2.2.2 depends on numpy{python_full_version < '3.11'}>=1.22.4 and you require pandas==2.2.2, we can conclude that you require numpy>=1.22.4.\n         And because you require numpy==1.21.6, we can conclude that your requirements are unsatisfiable.",
  ],
  [
    'distribution-not-found',
    'error: No solution found when resolving dependencies\n  cause: Because surely-not-a-dist-qq9 was not found in the package registry and you require surely-not-a-dist-qq9, we can conclude that your requirements are unsatisfiable.',
  ],
  [
    'no-release-at-date',
    'error: No solution found when resolving dependencies\n  cause: Because there are no versions of polars and you require polars, we can conclude that your requirements are unsatisfiable.\n\nhint: `polars` was filtered by `exclude-newer` to only include packages uploaded before 2019-01-01T00:00:00Z.',
  ],
  [
    'network',
    'error: Request failed after 3 retries in 10.4s\n  cause: Failed to fetch: http://127.0.0.1:9/simple/ipykernel/\n  cause: error sending request for url (http://127.0.0.1:9/simple/ipykernel/)\n  cause: tcp connect error\n  cause: Connection refused (os error 111)',
  ],
  ['disk', 'error: Failed to install: numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.whl (numpy==2.0.0)\n  Caused by: No space left on device (os error 28)'],
  ['install-failed', 'error: Failed to download `numpy==1.24.2`\n  Caused by: Hash mismatch for `numpy==1.24.2`\n\nExpected:\n  sha256:0000\n\nComputed:\n  sha256:1234'],
];

describe('classifyUvFailure', () => {
  it.each(RECORDED)('classifies a recorded %s message', (mode, stderr) => {
    expect(classifyUvFailure(stderr, 'resolve')).toBe(mode);
  });

  it('falls back by step when uv says something unknown', () => {
    expect(classifyUvFailure('error: something new', 'resolve')).toBe('resolution-conflict');
    expect(classifyUvFailure('error: something new', 'install')).toBe('install-failed');
  });
});

describe('trimToolMessage', () => {
  it("drops uv's progress lines and colour codes", () => {
    expect(trimToolMessage('Using CPython 3.11.7\n\x1b[31merror\x1b[0m: boom\nResolved 3 packages in 1s\n + numpy==1.0\n')).toBe('error: boom');
  });

  it('keeps the head and the tail of a long message', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const trimmed = trimToolMessage(long, 400);
    expect(trimmed.length).toBeLessThan(450);
    expect(trimmed.startsWith('line 0\n')).toBe(true);
    expect(trimmed.endsWith('line 1999')).toBe(true);
    expect(trimmed).toMatch(/characters trimmed/);
  });
});
