import { join } from 'node:path';
import type { KernelLauncher } from '../notebook-executor.js';
import type { GatewayConnection } from './gateway-connection.js';
import { GatewayKernel, type GatewayKernelOptions } from './gateway-kernel.js';
import { RemoteWorkspace, type RemoteWorkspaceOptions } from './remote-workspace.js';

export interface GatewayWorkspaceOptions extends RemoteWorkspaceOptions {
  /** Files of the working directory copied back before the kernel is deleted (e.g. submission.csv). */
  fetch: string[];
  /** Local directory they are copied into. */
  into: string;
}

export interface GatewayLaunchOptions extends GatewayKernelOptions {
  /** A private Kaggle-like workspace on the kernel's side for each run. */
  workspace?: GatewayWorkspaceOptions;
}

/**
 * Starts each NotebookExecutor run's kernel on a gateway, with its workspace set up before the
 * first cell; the files asked for are copied back and the workspace removed when the executor
 * shuts the kernel down. A workspace that cannot be set up fails the start (start-failed).
 */
export class GatewayLauncher implements KernelLauncher {
  constructor(
    readonly connection: GatewayConnection,
    readonly options: GatewayLaunchOptions = {},
  ) {}

  async start(options: { startupTimeoutMs: number }): Promise<GatewayKernel> {
    const { workspace, ...kernelOptions } = this.options;
    const kernel = await GatewayKernel.start(this.connection, { startupTimeoutMs: options.startupTimeoutMs, ...kernelOptions });
    if (!workspace) return kernel;
    let remote: RemoteWorkspace;
    try {
      remote = await RemoteWorkspace.create(kernel, workspace);
    } catch (error) {
      await kernel.shutdown();
      throw error;
    }
    kernel.beforeShutdown(async () => {
      if (!kernel.isAlive()) return;
      for (const name of workspace.fetch) await remote.fetch(name, join(workspace.into, name));
      await remote.remove();
    });
    return kernel;
  }
}
