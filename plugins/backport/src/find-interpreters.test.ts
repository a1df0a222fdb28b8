import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findInterpreters } from './find-interpreters.js';

const root = mkdtempSync(join(tmpdir(), 'mle-interpreters-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('findInterpreters', () => {
  it('keeps probed interpreters on disk until a search directory changes', async () => {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    mkdirSync(join(root, 'pyenv'));
    symlinkSync('/usr/bin/python3', join(bin, 'python3'));
    const env = { PATH: bin, PYENV_ROOT: join(root, 'pyenv') };
    const cacheFile = join(root, 'envs', '.interpreters.json');

    const probed = await findInterpreters({ env, cacheFile });
    expect(probed.map((i) => i.path)).toContain(join(bin, 'python3'));
    const real = probed.find((i) => i.path === join(bin, 'python3'))!.version;

    // Served from the file while nothing changed: a planted version comes back as is.
    const saved = JSON.parse(readFileSync(cacheFile, 'utf8')) as { interpreters: { version: string }[] };
    for (const interpreter of saved.interpreters) interpreter.version = '9.9.9';
    writeFileSync(cacheFile, JSON.stringify(saved));
    expect((await findInterpreters({ env, cacheFile })).every((i) => i.version === '9.9.9')).toBe(true);

    // A new entry in a PATH directory changes its mtime: probed again.
    symlinkSync('/usr/bin/python3', join(bin, 'python'));
    const again = await findInterpreters({ env, cacheFile });
    expect(again.length).toBeGreaterThan(0);
    expect(again.every((i) => i.version === real)).toBe(true);
  });
});
