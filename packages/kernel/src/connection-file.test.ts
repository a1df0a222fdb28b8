import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channelEndpoint, createConnectionInfo, writeConnectionFile } from './connection-file.js';

const dir = mkdtempSync(join(tmpdir(), 'mle-conn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('connection files', () => {
  it('picks five distinct free tcp ports on loopback and a fresh key', async () => {
    const info = await createConnectionInfo({ transport: 'tcp' });
    const ports = [info.shell_port, info.iopub_port, info.stdin_port, info.control_port, info.hb_port];
    expect(new Set(ports).size).toBe(5);
    expect(ports.every((port) => port > 0 && port < 65536)).toBe(true);
    expect(info.ip).toBe('127.0.0.1');
    expect(info.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.key).not.toBe((await createConnectionInfo({ transport: 'tcp' })).key);
    expect(channelEndpoint(info, 'hb')).toBe(`tcp://127.0.0.1:${info.hb_port}`);
  });

  it('names ipc endpoints `ipc://{ip}-{port}` inside the given directory', async () => {
    const info = await createConnectionInfo({ transport: 'ipc', dir, kernelName: 'python3' });
    expect(channelEndpoint(info, 'shell')).toBe(`ipc://${join(dir, 'kernel')}-1`);
    expect(channelEndpoint(info, 'hb')).toBe(`ipc://${join(dir, 'kernel')}-5`);
    expect(info.kernel_name).toBe('python3');
  });

  it('writes the file readable by its owner only', async () => {
    const info = await createConnectionInfo({ transport: 'ipc', dir });
    const file = join(dir, 'connection.json');
    await writeConnectionFile(file, info);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(info);
  });
});
