import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { toolPath, toolsDir } from '@mle/core';
import { GatewayRestClient } from './gateway-rest.js';

/**
 * A Jupyter Kernel Gateway from PyPI on 127.0.0.1, for tests, benchmarks and trying `--gateway`
 * on one machine. The venv (`.mle/gateway`) is made once by uv and reused.
 */
export const GATEWAY_REQUIREMENTS = ['jupyter_kernel_gateway==3.0.1', 'ipykernel==7.4.0'];

/** `.mle/gateway` beside the tools venv. */
export function defaultGatewayVenv(): string {
  return join(dirname(toolsDir()), 'gateway');
}

/**
 * The gateway venv's python, creating the venv when it is missing or was made for other
 * requirements. Built beside its final place and renamed into it, so concurrent callers never
 * see half a venv (the loser of the race drops its copy).
 */
export function ensureGatewayVenv(dir = defaultGatewayVenv()): string {
  const python = join(dir, 'bin', 'python');
  const stampPath = join(dir, 'mle-gateway.json');
  const stamp = JSON.stringify({ requirements: GATEWAY_REQUIREMENTS });
  if (existsSync(python) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return python;
  const uv = toolPath('uv');
  const building = `${dir}.building-${process.pid}-${randomBytes(3).toString('hex')}`;
  const env = { ...process.env, UV_CACHE_DIR: process.env.UV_CACHE_DIR ?? join(dirname(toolsDir()), 'uv-cache') };
  const run = (args: string[]): void => {
    const result = spawnSync(uv, args, { env, encoding: 'utf8' });
    if (result.status !== 0) {
      rmSync(building, { recursive: true, force: true });
      throw new Error(`uv ${args[0]} ${args[1] ?? ''} failed for the gateway venv: ${(result.stderr || String(result.error ?? '')).trim().split('\n').slice(-3).join(' | ')}`);
    }
  };
  run(['venv', '--quiet', '--python', '3.11', building]);
  run(['pip', 'install', '--quiet', '--python', join(building, 'bin', 'python'), ...GATEWAY_REQUIREMENTS]);
  writeFileSync(join(building, 'mle-gateway.json'), stamp);
  if (existsSync(dir) && !(existsSync(python) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp)) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(building, dir);
  } catch {
    // Another process finished first; its venv is as good.
    rmSync(building, { recursive: true, force: true });
  }
  return python;
}

/** A port free at the time of asking on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface LocalGatewayOptions {
  /** The venv's python (default: ensureGatewayVenv()). */
  python?: string;
  token?: string;
  /** What the python runs instead of `-m kernel_gateway` (a wrapper script, for experiments). */
  launcher?: string[];
  /** More `--Option=value` arguments (culling, kernel limits, ...). */
  args?: string[];
  /** The gateway's working directory (where its kernels start). */
  cwd?: string;
  /** Extra environment (e.g. JUPYTER_PATH for kernelspecs). */
  env?: Record<string, string>;
  startupTimeoutMs?: number;
  /** Serve https with this certificate and key; `ca` is what clients need to trust it. */
  tls?: { certFile: string; keyFile: string; ca: Buffer };
}

export interface LocalGateway {
  url: string;
  token: string;
  pid: number;
  /** Gateway output so far (its log), for diagnosing a failed test. */
  log(): string;
  /** SIGTERM the gateway's process group (it deletes its kernels), SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * `python -m kernel_gateway` that exits when the process that started it is gone, even after a
 * SIGKILL (no exit handler runs then); its kernels follow it (they watch their parent too).
 */
const EXIT_WITH_PARENT = [
  'import os, runpy, sys, threading, time',
  'parent = os.getppid()',
  'def watch():',
  '    while os.getppid() == parent:',
  '        time.sleep(1)',
  '    os._exit(1)',
  'threading.Thread(target=watch, daemon=True).start()',
  "sys.argv = ['kernel_gateway'] + sys.argv[1:]",
  "runpy.run_module('kernel_gateway', run_name='__main__', alter_sys=True)",
].join('\n');

/** Processes whose parent is `pid` (from /proc). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return children;
}

const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Start `jupyter kernelgateway` on 127.0.0.1 with token auth and wait until it answers. */
export async function startLocalGateway(options: LocalGatewayOptions = {}): Promise<LocalGateway> {
  const python = options.python ?? ensureGatewayVenv();
  const token = options.token ?? randomBytes(16).toString('hex');
  const port = await freePort();
  const args = [
    ...(options.launcher ?? ['-c', EXIT_WITH_PARENT]),
    '--KernelGatewayApp.ip=127.0.0.1', `--KernelGatewayApp.port=${port}`, `--KernelGatewayApp.auth_token=${token}`,
    // Listing kernels (off by default in the kernel gateway) lets tests and operators see leftovers.
    '--JupyterWebsocketPersonality.list_kernels=True',
    // Jupyter Server drops IOPub output above 1 MB/s by default: a batch run must record all of it.
    '--ZMQChannelsWebsocketConnection.limit_rate=False',
    ...(options.tls ? [`--KernelGatewayApp.certfile=${options.tls.certFile}`, `--KernelGatewayApp.keyfile=${options.tls.keyFile}`] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(python, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid as number;
  running.add(pid);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (!running.has(pid)) return;
    // Kernels run in sessions of their own: found now, killed after the gateway if they outlive it.
    const kernels = childrenOf(pid);
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    await exited;
    clearTimeout(killer);
    for (const group of [pid, ...kernels]) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // The group is empty.
      }
    }
    running.delete(pid);
  };
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const rest = new GatewayRestClient({ url, token, requestTimeoutMs: 2000, ...(options.tls ? { tls: { ca: options.tls.ca } } : {}) });
  const deadline = Date.now() + (options.startupTimeoutMs ?? 60_000);
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline && !dead) {
    try {
      await rest.kernelSpecs();
      return { url, token, pid, log: () => output, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await stop();
  throw new Error(`the local kernel gateway did not start on port ${port}:\n${output.slice(-2000)}`);
}
