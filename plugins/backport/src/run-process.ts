import { spawn } from 'node:child_process';

export interface ProcessResult {
  /** Exit code, or null when killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Killed because `timeoutMs` ran out. */
  timedOut: boolean;
  /** Killed because the caller's signal was aborted. */
  aborted: boolean;
  /** Could not start at all (ENOENT, EACCES): the spawn error's message. */
  spawnError?: string;
  elapsedMs: number;
}

export interface RunProcessOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  signal?: AbortSignal;
  /** Each complete stderr line as it arrives (uv reports progress there). */
  onStderrLine?: (line: string) => void;
}

/** Kept per stream; uv's resolver output is a few KB, an sdist build log can be megabytes. */
const MAX_CAPTURE_CHARS = 2 * 1024 * 1024;

/**
 * Run a program to completion and capture its output; never throws. It runs in its own process
 * group so that a timeout or abort kills what it started too (uv's build backends, pip), not
 * only uv itself.
 */
export function runProcess(file: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let pendingLine = '';
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const child = spawn(file, args, { env: options.env ?? process.env, cwd: options.cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, Math.max(1, options.timeoutMs));
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const finish = (exitCode: number | null, spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pendingLine) options.onStderrLine?.(pendingLine);
      const result: ProcessResult = { exitCode, stdout, stderr, timedOut, aborted, elapsedMs: Date.now() - started };
      if (spawnError !== undefined) result.spawnError = spawnError;
      resolve(result);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_CAPTURE_CHARS) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_CAPTURE_CHARS) stderr += chunk;
      if (!options.onStderrLine) return;
      const lines = (pendingLine + chunk).split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) options.onStderrLine(line);
    });
    child.on('error', (error: NodeJS.ErrnoException) => finish(null, error.code === 'ENOENT' ? `${file} not found` : error.message));
    child.on('close', (code) => finish(code));
    // EPIPE when the program exits before reading its input is not our failure to report.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
