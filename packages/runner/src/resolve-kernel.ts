import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { prepare, toolsDir, type Store } from '@mle/core';
import { findKernelSpecs, GatewayLauncher, redactedUrl, type GatewayConnection, type KernelSpec } from '@mle/kernel';
import { SUBMISSION_FILE, type Competition } from './competition.js';

/** The kernel a run executes on and what the sandbox must bind for it. */
export interface ResolvedKernel {
  kernel: { spec: KernelSpec } | { pythonPath: string };
  /** The Python environment directory (bound read-only into the sandbox). */
  environmentDir: string;
  /** `environments.id` when the kernel is an `mle env` environment. */
  environmentId: number | null;
  /** Stable description for the experiment's configuration (`env:3`, `kernelspec:python3`, ...). */
  label: string;
  /** Run on this Jupyter gateway instead of a local kernel. */
  gateway?: GatewayTarget;
}

export class KernelNotFoundError extends Error {
  override name = 'KernelNotFoundError';
}

interface EnvironmentRow {
  id: number;
  kind: string;
  path: string | null;
  status: string;
  python_version: string | null;
}

/** The kernel of an `mle env` environment: its interpreter with ipykernel, the directory the sandbox binds. */
export function environmentKernel(environmentId: number, path: string): ResolvedKernel {
  return { kernel: { pythonPath: join(path, 'bin', 'python') }, environmentDir: path, environmentId, label: `env:${environmentId}` };
}

function fromEnvironment(row: EnvironmentRow): ResolvedKernel {
  if (row.status !== 'ready' || !row.path) throw new KernelNotFoundError(`environment ${row.id} is ${row.status}; create it again with \`mle env create\``);
  const python = join(row.path, 'bin', 'python');
  if (!existsSync(python)) throw new KernelNotFoundError(`environment ${row.id} has no interpreter at ${python}; run \`mle env gc\` and create it again`);
  return environmentKernel(row.id, row.path);
}

function hasTable(store: Store, name: string): boolean {
  return prepare<[string], { n: number }>(store.db, "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)!.n > 0;
}

/**
 * What `--env` names, tried in this order: an `mle env` environment id, `contemporary` (the
 * newest ready contemporary environment; also the default), a directory holding `bin/python`
 * (a venv), or a Jupyter kernelspec name (including the tools venv's `mle-tools`).
 */
export function resolveKernel(store: Store, env: string | undefined): ResolvedKernel {
  const name = env ?? 'contemporary';
  const environments = hasTable(store, 'environments');
  if (/^\d+$/.test(name)) {
    const row = environments ? prepare<[number], EnvironmentRow>(store.db, 'SELECT id, kind, path, status, python_version FROM environments WHERE id = ?').get(Number(name)) : undefined;
    if (!row) throw new KernelNotFoundError(`no environment ${name} in ${store.path}; see \`mle env list\``);
    return fromEnvironment(row);
  }
  if (name === 'contemporary') {
    const row = environments
      ? prepare<[], EnvironmentRow>(store.db, "SELECT id, kind, path, status, python_version FROM environments WHERE kind = 'contemporary' AND status = 'ready' ORDER BY created_at DESC, id DESC LIMIT 1").get()
      : undefined;
    if (!row) throw new KernelNotFoundError(`no contemporary environment in ${store.path}; run \`mle env create --contemporary\` or pass --env KERNELSPEC`);
    return fromEnvironment(row);
  }
  const asPath = resolve(name);
  if ((isAbsolute(name) || name.includes('/')) && existsSync(join(asPath, 'bin', 'python'))) {
    return { kernel: { pythonPath: join(asPath, 'bin', 'python') }, environmentDir: asPath, environmentId: null, label: `venv:${asPath}` };
  }
  const specs = findKernelSpecs({ prefixes: [toolsDir()] });
  const spec = specs.find((s) => s.name === name.toLowerCase());
  if (!spec) {
    const known = specs.map((s) => s.name).join(', ') || 'none';
    throw new KernelNotFoundError(`--env ${name}: not an environment id, a venv directory or a kernelspec (kernelspecs found: ${known})`);
  }
  const argv0 = spec.argv[0] ?? '';
  // A kernelspec's interpreter lives in <prefix>/bin: that prefix is what the sandbox binds.
  const environmentDir = isAbsolute(argv0) ? dirname(dirname(argv0)) : toolsDir();
  return { kernel: { spec }, environmentDir, environmentId: null, label: `kernelspec:${spec.name}` };
}

/** Where `--gateway` runs kernels, and how their data gets there. */
export interface GatewayTarget {
  connection: GatewayConnection;
  /** Kernelspec on the gateway (null: its default); `{env}` stands for the run's environment id. */
  kernelName: string | null;
  /** The competitions' data on the kernels' side (`<root>/<slug>`); null uploads it per run. */
  dataRoot: string | null;
  /** Largest upload per run. */
  uploadLimitBytes: number;
}

/** The gateway kernel a run uses, as a label for the experiment's configuration (no token). */
function gatewayLabel(target: GatewayTarget, kernelName: string | null): string {
  return `gateway:${redactedUrl(target.connection)}#${kernelName ?? 'default'}`;
}

function kernelNameFor(target: GatewayTarget, environmentId: number | null): string | null {
  if (target.kernelName === null) return null;
  if (target.kernelName.includes('{env}') && environmentId === null) throw new KernelNotFoundError(`--gateway-kernel ${target.kernelName} names {env}, but this run has no mle environment`);
  return target.kernelName.replaceAll('{env}', String(environmentId));
}

/** `kernel` run on the gateway instead: same environment id (for `{env}`), a gateway label. */
export function onGateway(kernel: ResolvedKernel, target: GatewayTarget): ResolvedKernel {
  return { ...kernel, gateway: target, label: gatewayLabel(target, kernelNameFor(target, kernel.environmentId)) };
}

/** A kernel that exists only on the gateway (no local environment asked for). */
export function gatewayKernel(target: GatewayTarget): ResolvedKernel {
  // No local interpreter: a gateway run never starts one, and probes of it find nothing.
  return { kernel: { pythonPath: '' }, environmentDir: '', environmentId: null, gateway: target, label: gatewayLabel(target, kernelNameFor(target, null)) };
}

/**
 * The launcher of a gateway run's kernels: its kernelspec, and a private workspace with the
 * competition's data (mounted or uploaded) whose submission.csv comes back into `workDir`.
 */
export function gatewayLauncher(kernel: ResolvedKernel & { gateway: GatewayTarget }, run: { competition: Competition | null; workDir: string }): GatewayLauncher {
  const target = kernel.gateway;
  const kernelName = kernelNameFor(target, kernel.environmentId);
  return new GatewayLauncher(target.connection, {
    ...(kernelName ? { kernelName } : {}),
    workspace: {
      inputs: run.competition ? [{ slug: run.competition.slug, path: run.competition.dataDir }] : [],
      dataRoot: target.dataRoot,
      uploadLimitBytes: target.uploadLimitBytes,
      fetch: [SUBMISSION_FILE],
      into: run.workDir,
    },
  });
}
