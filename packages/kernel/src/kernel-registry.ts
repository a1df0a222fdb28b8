/**
 * Every kernel process group this Node process started and has not yet reaped. When Node exits
 * or is told to stop (SIGINT, SIGTERM, SIGHUP), the groups are killed, so no kernel outlives
 * its parent, whatever the caller forgot to shut down.
 */
/** Process group id → extra synchronous cleanup (killing the kernel's cgroup members). */
const liveGroups = new Map<number, (() => void) | undefined>();
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function killAllGroups(): void {
  for (const [pgid, killRest] of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    killRest?.();
  }
  liveGroups.clear();
}

function onStopSignal(signal: NodeJS.Signals): void {
  killAllGroups();
  uninstall();
  // Ours was the only handler: keep Node's default behaviour (terminate by this signal).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllGroups);
  for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', killAllGroups);
  for (const signal of STOP_SIGNALS) process.off(signal, onStopSignal);
}

/**
 * Track a kernel's process group (its pid, since kernels are spawned as group leaders);
 * `killRest` also kills processes that left the group.
 */
export function registerKernelGroup(pgid: number, killRest?: () => void): void {
  liveGroups.set(pgid, killRest);
  install();
}

export function unregisterKernelGroup(pgid: number): void {
  liveGroups.delete(pgid);
  // Without live kernels the signal handlers must not change how this process reacts to Ctrl-C.
  if (liveGroups.size === 0) uninstall();
}

/** Process groups still registered (for diagnostics and tests). */
export function liveKernelGroups(): number[] {
  return [...liveGroups.keys()];
}
