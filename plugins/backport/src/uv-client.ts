import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath } from '@mle/core';
import { classifyUvFailure, EnvironmentFailureError, trimToolMessage, type EnvironmentStep } from './failure-mode.js';
import { runProcess, type ProcessResult } from './run-process.js';

export interface UvClientOptions {
  /** The uv binary; default the project's tools venv (`toolPath('uv')`). */
  uvPath?: string;
  /** uv's download and wheel cache, shared by every environment (`UV_CACHE_DIR`). */
  cacheDir?: string;
  /** Index URL instead of PyPI (`UV_INDEX_URL`/`--index-url`). */
  indexUrl?: string;
  /** Use only uv's cache; fail instead of touching the network. */
  offline?: boolean;
  signal?: AbortSignal;
  /** uv's stderr lines as they come, for progress. */
  onLine?: (line: string) => void;
}

export interface CompileInput {
  python: string;
  requirements: readonly string[];
  /** Constraints that forbid without requiring (`torch<0` keeps PyPI's CUDA torch out). */
  constraints: readonly string[];
  excludeNewer: string;
  /** `name=timestamp` cutoffs overriding excludeNewer for single distributions (the kernel stack). */
  excludeNewerPackages: readonly string[];
  allowBuild: boolean;
  findLinks: readonly string[];
  timeoutMs: number;
}

/**
 * The uv commands environments are made with. Every call passes `--no-config` so that a
 * uv.toml on the machine cannot change what a recorded environment means, and every failure
 * becomes an EnvironmentFailureError carrying a stable mode and uv's own message.
 */
export class UvClient {
  readonly uvPath: string;

  constructor(private readonly options: UvClientOptions = {}) {
    this.uvPath = options.uvPath ?? toolPath('uv');
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', UV_NO_PROGRESS: '1' };
    // A venv or conda env the user has active must not become the install target.
    delete env.VIRTUAL_ENV;
    delete env.CONDA_PREFIX;
    delete env.UV_PYTHON;
    if (this.options.cacheDir) env.UV_CACHE_DIR = this.options.cacheDir;
    return env;
  }

  private commonArgs(): string[] {
    const args = ['--no-config'];
    if (this.options.offline) args.push('--offline');
    return args;
  }

  private indexArgs(findLinks: readonly string[]): string[] {
    const args: string[] = [];
    if (this.options.indexUrl) args.push('--index-url', this.options.indexUrl);
    for (const dir of findLinks) args.push('--find-links', dir);
    return args;
  }

  private async run(step: EnvironmentStep, args: string[], timeoutMs: number, input?: string): Promise<ProcessResult> {
    const result = await runProcess(this.uvPath, args, {
      timeoutMs,
      env: this.env(),
      ...(input !== undefined ? { input } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(this.options.onLine ? { onStderrLine: this.options.onLine } : {}),
    });
    if (result.spawnError) throw new EnvironmentFailureError('install-failed', step, `uv could not be started: ${result.spawnError} (run \`npm run setup\`)`);
    if (result.aborted) throw new EnvironmentAbortedError(step);
    if (result.timedOut) {
      throw new EnvironmentFailureError('timeout', step, trimToolMessage(`uv ${args[0]} ${args[1] ?? ''} was killed after ${timeoutMs} ms\n${result.stderr}`));
    }
    if (result.exitCode !== 0) throw new EnvironmentFailureError(classifyUvFailure(result.stderr, step), step, trimToolMessage(result.stderr || `uv exited with ${result.exitCode}`));
    return result;
  }

  /** Resolve requirements to exact pins with file hashes, as of `excludeNewer`, for this interpreter. */
  async compile(input: CompileInput): Promise<string> {
    const scratch = mkdtempSync(join(tmpdir(), 'mle-uv-'));
    try {
      const args = ['pip', 'compile', '-', ...this.commonArgs(), '--python', input.python, '--exclude-newer', input.excludeNewer, '--generate-hashes', '--no-header', '--no-annotate', '--quiet'];
      for (const cutoff of input.excludeNewerPackages) args.push('--exclude-newer-package', cutoff);
      if (!input.allowBuild) args.push('--no-build');
      if (input.constraints.length > 0) {
        const file = join(scratch, 'constraints.txt');
        writeFileSync(file, `${input.constraints.join('\n')}\n`);
        args.push('--constraint', file);
      }
      args.push(...this.indexArgs(input.findLinks));
      const result = await this.run('resolve', args, input.timeoutMs, `${input.requirements.join('\n')}\n`);
      return result.stdout;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** An empty virtual environment at `dir` for the interpreter at `python`. */
  async venv(python: string, dir: string, timeoutMs: number): Promise<void> {
    await this.run('venv', ['venv', ...this.commonArgs(), '--python', python, '--no-python-downloads', dir], timeoutMs);
  }

  /**
   * Install exactly the lock's pins into the environment (nothing else, nothing resolved):
   * `uv pip sync` verifies every file against the lock's hashes.
   */
  async sync(envPython: string, lockPath: string, options: { allowBuild: boolean; findLinks: readonly string[]; timeoutMs: number }): Promise<void> {
    const args = ['pip', 'sync', lockPath, ...this.commonArgs(), '--python', envPython];
    if (!options.allowBuild) args.push('--no-build');
    args.push(...this.indexArgs(options.findLinks));
    await this.run('install', args, options.timeoutMs);
  }
}

/** The caller's AbortSignal fired mid-step: not an environment failure, nothing is recorded. */
export class EnvironmentAbortedError extends Error {
  override name = 'EnvironmentAbortedError';
  constructor(readonly step: EnvironmentStep) {
    super(`environment creation was interrupted during ${step}`);
  }
}
