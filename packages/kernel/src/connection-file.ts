import { randomUUID } from 'node:crypto';
import { writeFile, chmod } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

export type Channel = 'shell' | 'iopub' | 'stdin' | 'control' | 'hb';

/** The JSON a kernel reads from `{connection_file}`: where to bind, and the signing key. */
export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  /** tcp: the address; ipc: a path prefix, the endpoint being `ipc://{ip}-{port}`. */
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name?: string;
}

export type ConnectionOptions =
  | { transport: 'tcp'; ip?: string; kernelName?: string }
  /** `dir` holds the sockets: keep its path short, unix socket paths are limited to ~107 bytes. */
  | { transport: 'ipc'; dir: string; kernelName?: string };

function listen(server: Server, ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, ip, () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('no port assigned'));
    });
  });
}

/**
 * Five free tcp ports, found by binding port 0 on all five at once (so they differ) and then
 * releasing them; the kernel binds them right after, the same race jupyter_client accepts.
 */
async function freePorts(ip: string, count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(servers.map((server) => listen(server, ip)));
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))));
  }
}

/** Connection details for a new kernel, with a fresh random key. */
export async function createConnectionInfo(options: ConnectionOptions): Promise<ConnectionInfo> {
  const base = { key: randomUUID(), signature_scheme: 'hmac-sha256' as const, ...(options.kernelName ? { kernel_name: options.kernelName } : {}) };
  if (options.transport === 'ipc') {
    return { transport: 'ipc', ip: join(options.dir, 'kernel'), shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5, ...base };
  }
  const ip = options.ip ?? '127.0.0.1';
  const [shell, iopub, stdin, control, hb] = (await freePorts(ip, 5)) as [number, number, number, number, number];
  return { transport: 'tcp', ip, shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb, ...base };
}

export function channelEndpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}

/** Write the connection file readable by its owner only: it holds the signing key. */
export async function writeConnectionFile(path: string, info: ConnectionInfo): Promise<void> {
  await writeFile(path, `${JSON.stringify(info, null, 1)}\n`, { mode: 0o600 });
  // `mode` is ignored when the file already exists.
  await chmod(path, 0o600);
}
