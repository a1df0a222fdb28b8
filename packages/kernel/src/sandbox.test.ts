import { describe, expect, it } from 'vitest';
import { kernelEnvironment } from './kernel-environment.js';
import { limitArgv } from './resource-limits.js';
import { InvalidSandboxInputError, sandboxArgv } from './sandbox.js';
import { PYTHON, TOOLS_ENV } from './test-support/kernels.js';

const mounts = { environmentDir: TOOLS_ENV, workDir: '/tmp/w', socketDir: '/tmp/mle-k-abc', inputs: [{ slug: 'titanic', path: '/tmp/data' }] };

function pairAfter(argv: string[], flag: string, value: string): string | undefined {
  for (let i = 0; i < argv.length; i += 1) if (argv[i] === flag && argv[i + 1] === value) return argv[i + 2];
  return undefined;
}

describe('sandboxArgv', () => {
  const argv = sandboxArgv([PYTHON, '-m', 'ipykernel_launcher', '-f', '/tmp/mle-k-abc/connection.json'], { PATH: '/usr/bin', HOME: '/kaggle/working' }, mounts, '/usr/bin/bwrap');

  it('isolates network and pids, dies with its parent, drops capabilities and clears the environment', () => {
    expect(argv[0]).toBe('/usr/bin/bwrap');
    for (const flag of ['--unshare-net', '--unshare-pid', '--die-with-parent', '--clearenv']) expect(argv).toContain(flag);
    expect(pairAfter(argv, '--cap-drop', 'ALL') ?? argv[argv.indexOf('--cap-drop') + 1]).toBeDefined();
    expect(pairAfter(argv, '--setenv', 'HOME')).toBe('/kaggle/working');
  });

  it('binds system dirs and the environment read-only, data read-only, work dir and socket dir read-write', () => {
    expect(pairAfter(argv, '--ro-bind', '/usr')).toBe('/usr');
    expect(pairAfter(argv, '--ro-bind', '/etc')).toBe('/etc');
    expect(pairAfter(argv, '--ro-bind', TOOLS_ENV)).toBe(TOOLS_ENV);
    expect(pairAfter(argv, '--ro-bind', '/tmp/data')).toBe('/kaggle/input/titanic');
    expect(pairAfter(argv, '--bind', '/tmp/w')).toBe('/kaggle/working');
    expect(pairAfter(argv, '--bind', '/tmp/mle-k-abc')).toBe('/tmp/mle-k-abc');
    expect(pairAfter(argv, '--chdir', '/kaggle/working')).toBeDefined();
    expect(argv[argv.indexOf('--remount-ro') + 1]).toBe('/');
    // The socket dir must be bound after the private /tmp, or the tmpfs would hide it.
    expect(argv.indexOf('--tmpfs')).toBeLessThan(argv.lastIndexOf('/tmp/mle-k-abc'));
    expect(argv.slice(argv.indexOf('--') + 1)).toEqual([PYTHON, '-m', 'ipykernel_launcher', '-f', '/tmp/mle-k-abc/connection.json']);
  });

  it('binds the prefix of the interpreter a venv links to', () => {
    // The tools venv's python is a symlink into a base installation outside the venv.
    const roBinds = argv.flatMap((arg, i) => (arg === '--ro-bind' ? [argv[i + 1] as string] : []));
    expect(roBinds.some((path) => !['/usr', '/etc', TOOLS_ENV].includes(path) && !path.startsWith('/tmp'))).toBe(true);
  });

  it('refuses input slugs that are not plain names', () => {
    expect(() => sandboxArgv(['python'], {}, { ...mounts, inputs: [{ slug: '../etc', path: '/tmp' }] }, '/usr/bin/bwrap')).toThrow(InvalidSandboxInputError);
  });
});

describe('limitArgv', () => {
  it('uses prlimit when present and a shell ulimit otherwise', () => {
    expect(limitArgv(['python'], { memoryBytes: 2 ** 30, maxProcesses: 64 }, '/usr/bin/prlimit')).toEqual(['/usr/bin/prlimit', `--as=${2 ** 30}`, '--nproc=64', '--', 'python']);
    expect(limitArgv(['python', '-c', 'x'], { memoryBytes: 2 ** 30 }, null)).toEqual(['/bin/sh', '-c', 'ulimit -v 1048576 && exec "$@"', 'sh', 'python', '-c', 'x']);
    expect(limitArgv(['python'], {}, '/usr/bin/prlimit')).toEqual(['python']);
  });
});

describe('kernelEnvironment', () => {
  it('is an allow-list: secrets in the host environment never appear', () => {
    const env = kernelEnvironment({ path: '/usr/bin', home: '/kaggle/working', extra: { EXTRA: '1' }, hostEnv: { OPENAI_API_KEY: 'sk-secret', AWS_SECRET_ACCESS_KEY: 'x', LANG: 'en_US.UTF-8', PYTHONHASHSEED: '0' } });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/kaggle/working', LANG: 'en_US.UTF-8', PYTHONHASHSEED: '0', MPLBACKEND: 'agg', EXTRA: '1' });
  });
});
