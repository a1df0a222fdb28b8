import { spawn } from 'node:child_process';
import { runTool, type ToolOutput } from '@mle/core';
import { nulTokens } from './nul-tokens.js';

/** A git command that failed; the message is git's own one-line explanation. */
export class GitCommandError extends Error {
  override name = 'GitCommandError';
}

/**
 * Git's environment: never prompt for credentials (a clone URL that needs them fails at once
 * instead of hanging on a terminal nobody watches).
 */
export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', SSH_ASKPASS: 'true' };
}

/**
 * Options that make output independent of the user's git configuration: root commits list
 * their files, no signatures or external diff tools interleave with what is parsed.
 */
export const NEUTRAL_CONFIG = ['-c', 'log.showRoot=true', '-c', 'log.showSignature=false', '-c', 'core.quotePath=false'];

/** The line of git's stderr that says what went wrong (`fatal: ...`), without the prefix. */
export function gitErrorLine(output: Pick<ToolOutput, 'stderr' | 'error'>): string {
  const lines = output.stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const fatal = lines.find((line) => /^(fatal|error):/.test(line)) ?? lines[0] ?? output.error ?? 'git failed';
  return fatal.replace(/^(fatal|error):\s*/, '');
}

/** Run a short git command and return its stdout; throws GitCommandError with git's reason. */
export async function git(args: string[], options: { timeoutMs?: number; cwd?: string } = {}): Promise<string> {
  const output = await runTool('git', [...NEUTRAL_CONFIG, ...args], { env: gitEnv(), timeoutMs: options.timeoutMs ?? 60_000, ...(options.cwd ? { cwd: options.cwd } : {}) });
  if (!output.ok) throw new GitCommandError(gitErrorLine(output));
  return output.stdout;
}

/**
 * Stream a git command's NUL-separated output token by token without buffering it whole
 * (`git log` over a large history). Stopping early kills the process; a failure of git
 * itself is thrown once its output is consumed.
 */
export async function* gitTokens(args: string[]): AsyncGenerator<string> {
  const child = spawn('git', [...NEUTRAL_CONFIG, ...args], { env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 64 * 1024) stderr += text;
  });
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  });
  let finished = false;
  try {
    yield* nulTokens(child.stdout);
    const { code, error } = await exited;
    finished = true;
    if (error) throw new GitCommandError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git not found on PATH' : error.message);
    if (code !== 0) throw new GitCommandError(gitErrorLine({ stderr, error: `git ${args[0] ?? ''} exited with ${code}` }));
  } finally {
    if (!finished && child.exitCode === null) child.kill();
  }
}
