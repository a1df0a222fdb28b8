import { execFile } from 'node:child_process';

export interface ToolOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Why the tool could not be run at all (not found, timed out), when it could not. */
  error?: string;
}

/** Run a program briefly and capture its output; never throws. */
export function runTool(file: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ToolOutput> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: options.timeoutMs ?? 10_000, env: options.env ?? process.env, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const out: ToolOutput = { ok: !error, stdout: String(stdout), stderr: String(stderr) };
      if (error) out.error = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} not found` : error.message.split('\n')[0]!;
      resolve(out);
    });
  });
}
