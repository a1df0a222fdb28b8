import type { KernelCgroup } from './kernel-cgroup.js';
import { KernelProcess, type KernelProcessOptions } from './kernel-process.js';
import type { KernelSpec } from './kernelspecs.js';

export interface LaunchOptions {
  /** Path of the connection file the kernel reads (already written). */
  connectionFile: string;
  /** The complete environment of the kernel process (already filtered); the spec's env is merged over it. */
  env: Record<string, string>;
  cwd?: string;
  /** Rewrites the final argv, e.g. to run it inside a sandbox or under resource limits. */
  wrap?: (argv: string[]) => string[];
  /** Extra arguments appended to the kernel's own argv (before wrapping). */
  extraArguments?: string[];
  stderrLimitBytes?: number;
  /** Run the kernel (wrapper included) inside this cgroup; it is emptied and removed when the kernel is killed. */
  cgroup?: KernelCgroup | null;
}

/** The spec's argv with `{connection_file}` and `{resource_dir}` filled in. */
export function kernelArgv(spec: Pick<KernelSpec, 'argv' | 'resourceDir'>, connectionFile: string): string[] {
  return spec.argv.map((arg) => arg.replaceAll('{connection_file}', connectionFile).replaceAll('{resource_dir}', spec.resourceDir));
}

/** True for argv that start ipykernel, which takes IPython's command-line options. */
export function isIpykernelArgv(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === 'ipykernel_launcher' || arg === 'ipykernel' || arg.endsWith('ipykernel_launcher.py'));
}

/**
 * Start the kernel a KernelSpec describes, detached in its own process group, with the spec's
 * env merged over `options.env`.
 */
export async function launchKernel(spec: KernelSpec, options: LaunchOptions): Promise<KernelProcess> {
  let argv = [...kernelArgv(spec, options.connectionFile), ...(options.extraArguments ?? [])];
  if (options.wrap) argv = options.wrap(argv);
  if (options.cgroup) argv = options.cgroup.wrapArgv(argv);
  const launch: KernelProcessOptions = { env: { ...options.env, ...spec.env }, cgroup: options.cgroup ?? null };
  if (options.cwd) launch.cwd = options.cwd;
  if (options.stderrLimitBytes !== undefined) launch.stderrLimitBytes = options.stderrLimitBytes;
  return KernelProcess.spawn(argv, launch);
}

/** The KernelSpec `launchPythonKernel` uses: ipykernel run by a given interpreter. */
export function pythonKernelSpec(pythonPath: string): KernelSpec {
  return {
    name: 'python3',
    resourceDir: '',
    argv: [pythonPath, '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
    displayName: `Python (${pythonPath})`,
    language: 'python',
    interruptMode: 'signal',
    env: {},
    metadata: {},
  };
}

/** Start `<python> -m ipykernel_launcher -f <conn>`: for environments without kernelspec discovery. */
export function launchPythonKernel(pythonPath: string, options: LaunchOptions): Promise<KernelProcess> {
  return launchKernel(pythonKernelSpec(pythonPath), options);
}
