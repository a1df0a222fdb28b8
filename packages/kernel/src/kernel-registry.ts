/**
 * Every kernel process group this Node process started and has not yet reaped, and the files
 * its kernels still hold. When Node exits or is told to stop (SIGINT, SIGTERM, SIGHUP), the
 * groups are killed and the files removed, so no kernel outlives its parent, whatever the caller
 * forgot to shut down.
 */
/** Process group id → extra synchronous cleanup (killing the kernel's cgroup members). */
const liveGroups = new Map<number, (() => void) | undefined>();
/** Synchronous cleanups run after the groups are killed (removing socket directories). */
const afterKill = new Set<() => void>();
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function cleanUpEverything(): void {
  for (const [pgid, killRest] of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    killRest?.();
  }
  liveGroups.clear();
  for (const cleanup of afterKill) {
    try {
      cleanup();
    } catch {
      // Best effort while exiting.
    }
  }
  afterKill.clear();
}

function onStopSignal(signal: NodeJS.Signals): void {
  cleanUpEverything();
  uninstall();
  // Ours was the only handler: keep Node's default behaviour (terminate by this signal).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanUpEverything);
  for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', cleanUpEverything);
  for (const signal of STOP_SIGNALS) process.off(signal, onStopSignal);
}

function uninstallWhenIdle(): void {
  // Without live kernels the handlers must not change how this process reacts to Ctrl-C.
  if (liveGroups.size === 0 && afterKill.size === 0) uninstall();
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
  uninstallWhenIdle();
}

/** Run `cleanup` (synchronous) if this process stops before the returned function is called. */
export function cleanUpOnExit(cleanup: () => void): () => void {
  afterKill.add(cleanup);
  install();
  return () => {
    afterKill.delete(cleanup);
    uninstallWhenIdle();
  };
}

/** Process groups still registered (for diagnostics and tests). */
export function liveKernelGroups(): number[] {
  return [...liveGroups.keys()];
}
