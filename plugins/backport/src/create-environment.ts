import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PythonInterpreter, WritableStore } from '@mle/core';
import { findEnvironmentKernelSpec, type KernelSpec } from '@mle/kernel';
import { withBuildLock } from './build-lock.js';
import {
  getEnvironmentByKey,
  getEnvironmentForRequest,
  linkRequest,
  recordEnvironmentEvent,
  saveEnvironment,
  touchEnvironment,
  type EnvironmentFields,
  type EnvironmentKind,
  type EnvironmentRecord,
} from './environment-store.js';
import { DETERMINISTIC_FAILURES, EnvironmentFailureError, trimToolMessage, type EnvironmentStep, type FailureMode } from './failure-mode.js';
import { findInterpreters } from './find-interpreters.js';
import { environmentKey, formatLock, parseLock, sha256, type LockFile, type LockHeader } from './lock-file.js';
import { CONTEMPORARY_STACK, KERNEL_CONSTRAINTS, KERNEL_STACK, NO_TORCH_CONSTRAINT, planRequirements, type KernelPolicy } from './plan-requirements.js';
import { choosePython, type PythonChoice } from './python-for-date.js';
import { runProcess } from './run-process.js';
import { findLocalTorchWheel, torchWheelDirs } from './torch-wheels.js';
import { EnvironmentAbortedError, UvClient } from './uv-client.js';

export { EnvironmentAbortedError };

/** What to build: the stack and date of a contemporary environment, or a notebook's imports as of its date. */
export interface EnvironmentRequest {
  kind: 'contemporary' | 'backport';
  /** The date packages are resolved as of. Backports need one; contemporary defaults to the start of today (UTC). */
  at?: Date | string;
  /** Imported modules as written (`sklearn.model_selection`); mapped to distributions. */
  imports?: readonly string[];
  /** Explicit PEP 508 requirements, added as they are. */
  packages?: readonly string[];
  /** Contemporary only: the stack to install (default CONTEMPORARY_STACK). */
  stack?: readonly string[];
  /** A minor or full version overriding the date rule (`3.10`, `3.10.13`). */
  python?: string;
  /** The notebook's Python major when known: 2 asks for 2.7, as the study kept Python 2 notebooks on 2.7. */
  pythonMajor?: 2 | 3 | null;
  /** Recorded with the build/reuse event. */
  notebookId?: number | null;
}

export type EnvironmentPhase = 'interpreter' | 'resolve' | 'reuse' | 'venv' | 'install' | 'kernelspec' | 'done' | 'failed';

export interface EnvironmentProgress {
  phase: EnvironmentPhase;
  message: string;
}

/** How environments are made; every option has its default in DEFAULT_ENVIRONMENT_OPTIONS or beside it. */
export interface EnvironmentOptions {
  /** Where environment directories live (default `$MLE_ENV_DIR`, else `~/.cache/mle/envs`). */
  envDir?: string;
  /** uv's own cache, shared between environments (default: uv's, or `UV_CACHE_DIR`). */
  uvCacheDir?: string;
  uvPath?: string;
  /** Another index instead of PyPI. */
  indexUrl?: string;
  /** Install from uv's cache only (with --from-lock: no network at all). */
  offline?: boolean;
  /** Let uv build source distributions (default false: a release without a wheel fails as `no-wheel` in seconds). */
  allowBuild?: boolean;
  /** Install torch from a local CPU wheel (see torch-wheels.ts); default false: torch imports are skipped and torch is forbidden. */
  withTorch?: boolean;
  torchWheelDirs?: readonly string[];
  /**
   * How the kernel stack (KERNEL_STACK) is dated: `as-of-date` like everything else; `newest`
   * as of today; `auto` (the default) as of the date, and as of today only when that fails.
   */
  kernelPolicy?: KernelPolicy;
  /**
   * Round each date down to the start of its UTC day, ISO week or month before resolving, so that
   * notebooks a few days apart share one environment: fewer builds, at the cost of ignoring
   * releases between the rounded and the real date. `exact` (the default) keeps the notebook's date.
   */
  dateGranularity?: DateGranularity;
  /** Budget for one create call, all steps together. */
  timeoutMs?: number;
  /** Refuse to build (failure `disk`) when the environment directory's filesystem has less free. */
  minFreeBytes?: number;
  /** Ignore cached resolutions and cached failures; resolve again. */
  refresh?: boolean;
  /** Interpreters to choose from (default: those found on the machine). */
  interpreters?: readonly PythonInterpreter[];
  signal?: AbortSignal;
  onProgress?: (progress: EnvironmentProgress) => void;
}

type DefaultedOption = 'timeoutMs' | 'minFreeBytes' | 'allowBuild' | 'withTorch' | 'offline' | 'refresh' | 'kernelPolicy' | 'dateGranularity';

export const DEFAULT_ENVIRONMENT_OPTIONS: Readonly<Required<Pick<EnvironmentOptions, DefaultedOption>>> = Object.freeze({
  timeoutMs: 30 * 60_000,
  minFreeBytes: 1024 ** 3,
  allowBuild: false,
  withTorch: false,
  offline: false,
  refresh: false,
  kernelPolicy: 'auto',
  dateGranularity: 'exact',
});

/** The environment is usable: its kernelspec is inside its directory. */
export interface ReadyEnvironment {
  status: 'ready';
  action: 'built' | 'reused';
  /** Whether uv was asked to resolve (false when the request cache answered). */
  resolved: boolean;
  environment: EnvironmentRecord;
  kernelSpec: KernelSpec;
  seconds: number;
}

/** The environment could not be made; `environment` holds the recorded failure. */
export interface FailedEnvironment {
  status: 'failed';
  action: 'failed';
  resolved: boolean;
  /** A deterministic failure recorded earlier was returned without asking uv again. */
  cachedFailure: boolean;
  environment: EnvironmentRecord;
  seconds: number;
}

export type EnvironmentOutcome = ReadyEnvironment | FailedEnvironment;

/** The name of the kernelspec installed inside every environment. */
export const ENVIRONMENT_KERNEL_NAME = 'mle';
const MARKER_FILE = 'mle-environment.json';
/** Probed interpreters, kept in the environment directory (see findInterpreters). */
const INTERPRETER_CACHE_FILE = '.interpreters.json';
const LOCK_FILE = 'mle-lock.txt';

/** Default directory of environments: `$MLE_ENV_DIR`, else `$XDG_CACHE_HOME/mle/envs` or `~/.cache/mle/envs`. */
export function defaultEnvDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLE_ENV_DIR) return resolve(env.MLE_ENV_DIR);
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mle', 'envs');
}

/** A date that is not a date, or lies in the future. */
export class InvalidEnvironmentDateError extends Error {
  override name = 'InvalidEnvironmentDateError';
}

/** Parse `2023-03-01` (midnight UTC) or any ISO 8601 timestamp; reject the future. */
export function parseEnvironmentDate(value: Date | string, now = new Date()): Date {
  const date = value instanceof Date ? value : new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new InvalidEnvironmentDateError(`not a date: ${String(value)} (expected e.g. 2023-03-01 or 2023-03-01T12:00:00Z)`);
  if (date.getTime() > now.getTime()) throw new InvalidEnvironmentDateError(`${date.toISOString()} is in the future`);
  return date;
}

export type DateGranularity = 'exact' | 'day' | 'week' | 'month';

/** The start (UTC) of the day, ISO week (Monday) or month containing `date`; `exact` returns it unchanged. */
export function snapDate(date: Date, granularity: DateGranularity): Date {
  if (granularity === 'exact') return date;
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  if (granularity === 'day') return day;
  if (granularity === 'month') return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}

/** uv's --exclude-newer wants RFC 3339; seconds precision is what PyPI's upload times carry. */
function utcTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function startOfTodayUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Whether a recorded ready environment is still whole on disk (not removed by hand or by gc). */
function isIntact(environment: EnvironmentRecord): KernelSpec | null {
  if (environment.status !== 'ready' || !environment.path) return null;
  const marker = join(environment.path, MARKER_FILE);
  if (!existsSync(join(environment.path, 'bin', 'python')) || !existsSync(marker)) return null;
  try {
    if ((JSON.parse(readFileSync(marker, 'utf8')) as { key?: string }).key !== environment.key) return null;
  } catch {
    return null;
  }
  return findEnvironmentKernelSpec(environment.path, ENVIRONMENT_KERNEL_NAME);
}

function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

interface Resolved {
  kind: EnvironmentKind;
  requestKey: string;
  python: { version: string; path: string };
  pythonRule: Record<string, unknown>;
  targetDate: string | null;
  excludeNewer: string | null;
  requested: Record<string, unknown>;
  lock: LockFile;
  findLinks: string[];
}

/**
 * Makes and reuses environments. One instance per process is enough; it holds only options and
 * the uv client, while everything durable is in the store and the environment directory.
 */
export class EnvironmentBuilder {
  readonly envDir: string;
  private readonly options: EnvironmentOptions & Required<Pick<EnvironmentOptions, DefaultedOption>>;
  private readonly uv: UvClient;

  constructor(
    private readonly store: WritableStore,
    options: EnvironmentOptions = {},
  ) {
    // An option passed as undefined (an unset CLI flag) keeps its default.
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as EnvironmentOptions;
    this.options = { ...DEFAULT_ENVIRONMENT_OPTIONS, ...given };
    this.envDir = options.envDir ? resolve(options.envDir) : defaultEnvDir();
    this.uv = new UvClient({
      ...(options.uvPath ? { uvPath: options.uvPath } : {}),
      ...(options.uvCacheDir ? { cacheDir: options.uvCacheDir } : {}),
      ...(options.indexUrl ? { indexUrl: options.indexUrl } : {}),
      offline: this.options.offline,
      ...(options.signal ? { signal: options.signal } : {}),
      onLine: (line) => this.report('install', line.trim()),
    });
  }

  private report(phase: EnvironmentPhase, message: string): void {
    this.options.onProgress?.({ phase, message });
  }

  /** A contemporary or dated environment: choose Python, resolve, build or reuse. Never throws for a failure mode. */
  async create(request: EnvironmentRequest): Promise<EnvironmentOutcome> {
    const started = Date.now();
    const deadline = started + this.options.timeoutMs;
    const now = new Date();
    if (request.kind === 'backport' && request.at === undefined) throw new InvalidEnvironmentDateError('a backported environment needs a date (--at, or a notebook with a date)');
    const asked = request.at === undefined ? startOfTodayUtc(now) : parseEnvironmentDate(request.at, now);
    const at = snapDate(asked, this.options.dateGranularity);
    const excludeNewer = utcTimestamp(at);

    this.report('interpreter', 'choosing an interpreter');
    const interpreters = this.options.interpreters ?? (await findInterpreters({ cacheFile: join(this.envDir, INTERPRETER_CACHE_FILE) }));
    const choice = choosePython(at, interpreters, { ...(request.python ? { requested: request.python } : {}), pythonMajor: request.pythonMajor ?? null });
    const stack = request.kind === 'contemporary' ? (request.stack ?? CONTEMPORARY_STACK) : [];
    const plan = planRequirements({ imports: request.imports ?? [], packages: request.packages ?? [], stack, pythonMinor: choice.chosen?.minor ?? null, allowTorch: this.options.withTorch, at });
    const requested: Record<string, unknown> = {
      imports: [...new Set(request.imports ?? [])].sort(),
      packages: request.packages ?? [],
      stack,
      distributions: plan.distributions,
      skipped: plan.skipped,
      allowBuild: this.options.allowBuild,
      withTorch: this.options.withTorch,
      kernelPolicy: this.options.kernelPolicy,
      ...(this.options.dateGranularity !== 'exact' ? { dateGranularity: this.options.dateGranularity, askedDate: asked.toISOString() } : {}),
      ...(request.notebookId != null ? { notebookId: request.notebookId } : {}),
    };
    const requirements = [...plan.requirements];
    const constraints: string[] = [...KERNEL_CONSTRAINTS];
    const findLinks: string[] = [];
    let torchProblem: string | null = null;
    if (this.options.withTorch && choice.chosen) {
      const wheel = findLocalTorchWheel(choice.chosen.minor, this.options.torchWheelDirs ?? torchWheelDirs());
      if ('missing' in wheel) torchProblem = wheel.missing;
      else {
        // The local label (+cpu) in the pin is what keeps PyPI's same-numbered CUDA build out.
        const index = requirements.findIndex((requirement) => /^torch\b(?![-_.\w])/.test(requirement));
        if (index >= 0) requirements.splice(index, 1);
        requirements.push(`torch==${wheel.version}`);
        findLinks.push(wheel.dir);
        requested.torch = { version: wheel.version, file: wheel.file, note: 'local CPU build, not as of the date' };
      }
    } else if (!this.options.withTorch) constraints.push(NO_TORCH_CONSTRAINT);

    // The kernel cutoff is today's date, not now, so that a day's requests share one resolution.
    const today = startOfTodayUtc(now);
    const kernelCutoffs: (string | null)[] =
      at >= today ? [null] : this.options.kernelPolicy === 'as-of-date' ? [null] : this.options.kernelPolicy === 'newest' ? [utcTimestamp(today)] : [null, utcTimestamp(today)];
    const requestKey = sha256(
      JSON.stringify({
        v: 1,
        python: choice.chosen?.version ?? `none:${choice.ideal}`,
        excludeNewer,
        kernelCutoffs,
        requirements: [...requirements].sort(),
        constraints,
        findLinks,
        allowBuild: this.options.allowBuild,
        indexUrl: this.options.indexUrl ?? null,
      }),
    );
    const base = {
      kind: request.kind,
      requestKey,
      pythonRule: choice as unknown as Record<string, unknown>,
      targetDate: at.toISOString(),
      excludeNewer,
      requested,
      notebookId: request.notebookId ?? null,
      started,
    };

    const cached = this.options.refresh ? null : getEnvironmentForRequest(this.store, requestKey);
    if (cached) {
      const outcome = this.fromCache(cached, base);
      if (outcome) return outcome;
      if (cached.status !== 'failed' && cached.lock && cached.pythonPath && cached.pythonVersion) {
        // Resolved before but its directory is gone: rebuild from the recorded lock, no resolution.
        const lock = parseLock(cached.lock);
        return this.buildOrReuse({ ...base, python: { version: cached.pythonVersion, path: cached.pythonPath }, lock, findLinks: lock.header.findLinks }, deadline, false);
      }
    }

    if (!choice.chosen) return this.fail(base, choice, null, new EnvironmentFailureError('no-interpreter', 'interpreter', choice.explanation), false);
    if (torchProblem) return this.fail(base, choice, null, new EnvironmentFailureError('no-wheel', 'resolve', torchProblem), false);
    const python = { version: choice.chosen.version, path: choice.chosen.path };

    let firstFailure: EnvironmentFailureError | null = null;
    for (const [index, kernelExcludeNewer] of kernelCutoffs.entries()) {
      const last = index === kernelCutoffs.length - 1;
      let lockText: string;
      try {
        this.preflight();
        const kernelNote = kernelExcludeNewer ? ` (kernel stack as of ${kernelExcludeNewer})` : '';
        this.report('resolve', `resolving ${requirements.length} requirements for Python ${python.version} as of ${excludeNewer}${kernelNote}`);
        const excludeNewerPackages = kernelExcludeNewer ? KERNEL_STACK.map((name) => `${name}=${kernelExcludeNewer}`) : [];
        const compiled = await this.uv.compile({ python: python.path, requirements, constraints, excludeNewer, excludeNewerPackages, allowBuild: this.options.allowBuild, findLinks, timeoutMs: remaining(deadline, 'resolve') });
        lockText = formatLock({ pythonVersion: python.version, excludeNewer, kernelExcludeNewer, targetDate: at.toISOString(), kind: request.kind, findLinks }, compiled);
      } catch (error) {
        if (!(error instanceof EnvironmentFailureError)) throw error;
        const failure = explainTorch(error, constraints);
        // Only a failure that would recur, and that a newer kernel could cure, is worth a second try.
        if (last || !DETERMINISTIC_FAILURES.has(failure.mode) || failure.mode === 'no-interpreter') {
          requested.kernelResolvedAs = 'none';
          return this.fail(base, choice, python, withFirstFailure(failure, firstFailure), true);
        }
        firstFailure = failure;
        continue;
      }
      requested.kernelResolvedAs = kernelExcludeNewer ? 'newest' : 'as-of-date';
      if (firstFailure) requested.kernelFallback = `${firstFailure.mode} (${firstFailure.step}): ${summaryLine(firstFailure.toolMessage)}`;
      const outcome = await this.buildOrReuse({ ...base, python, lock: parseLock(lockText), findLinks }, deadline, true);
      // A dated kernel can resolve and still not import (ipykernel 4.0 beside IPython 3 in early
      // 2017: old releases declared no lower bounds). That is the kernel's failure, not the notebook's.
      if (outcome.status === 'failed' && !last && outcome.environment.failureStep === 'kernelspec') {
        firstFailure = new EnvironmentFailureError(outcome.environment.failureMode ?? 'install-failed', 'kernelspec', outcome.environment.failureMessage ?? '');
        continue;
      }
      return outcome;
    }
    throw new Error('unreachable: the last kernel cutoff always returns');
  }

  /** Install a recorded lock as it is: no resolution (`mle env create --from-lock`). */
  async createFromLock(lockText: string, options: { python?: string; notebookId?: number | null } = {}): Promise<EnvironmentOutcome> {
    const started = Date.now();
    const deadline = started + this.options.timeoutMs;
    const lock = parseLock(lockText);
    const wanted = options.python ?? lock.header.pythonVersion;
    const interpreters = this.options.interpreters ?? (await findInterpreters({ cacheFile: join(this.envDir, INTERPRETER_CACHE_FILE) }));
    const exact = interpreters.find((i) => i.version === wanted);
    const sameMinor = wanted ? interpreters.find((i) => i.minor === wanted.split('.').slice(0, 2).join('.')) : undefined;
    const interpreter = exact ?? sameMinor ?? null;
    const pythonRule: Record<string, unknown> = {
      rule: 'lock',
      ideal: wanted,
      chosen: interpreter ? { version: interpreter.version, minor: interpreter.minor, path: interpreter.path } : null,
      reason: exact ? 'exact' : sameMinor ? 'same-minor' : 'none-available',
      explanation: !wanted
        ? 'the lock names no Python version; pass --python'
        : exact
          ? `Python ${wanted} as the lock records`
          : sameMinor
            ? `the lock records Python ${wanted}; ${sameMinor.version} is the same minor`
            : `the lock records Python ${wanted}, which is not on this machine`,
    };
    const requestKey = sha256(JSON.stringify({ v: 1, lock: sha256(lockText), python: interpreter?.version ?? null }));
    const header: LockHeader = { ...lock.header, kind: 'lock', pythonVersion: interpreter?.version ?? lock.header.pythonVersion };
    const base = {
      kind: 'lock' as const,
      requestKey,
      pythonRule,
      targetDate: lock.header.targetDate,
      excludeNewer: lock.header.excludeNewer,
      requested: { lock: { pins: lock.pins.length, hashed: lock.hashed, recordedPython: lock.header.pythonVersion, recordedKind: lock.header.kind } },
      notebookId: options.notebookId ?? null,
      started,
    };
    if (!interpreter || !wanted) return this.fail(base, pythonRule, null, new EnvironmentFailureError('no-interpreter', 'interpreter', String(pythonRule.explanation)), false);
    const normalized = parseLock(formatLock(header, lockText));
    return this.buildOrReuse({ ...base, python: { version: interpreter.version, path: interpreter.path }, lock: normalized, findLinks: lock.header.findLinks }, deadline, false);
  }

  /** An outcome from the request cache, or null when the request must be worked out again. */
  private fromCache(cached: EnvironmentRecord, base: { requestKey: string; notebookId: number | null; started: number }): EnvironmentOutcome | null {
    if (cached.status === 'ready') {
      const kernelSpec = isIntact(cached);
      if (!kernelSpec) return null;
      return this.reused(cached, kernelSpec, base, false);
    }
    if (cached.status === 'failed' && cached.failureMode && DETERMINISTIC_FAILURES.has(cached.failureMode)) return this.cachedFailure(cached, base, false);
    return null;
  }

  /** Return a failure recorded earlier without asking uv again. */
  private cachedFailure(environment: EnvironmentRecord, base: { requestKey: string; notebookId: number | null; started: number }, resolved: boolean): FailedEnvironment {
    const seconds = (Date.now() - base.started) / 1000;
    recordEnvironmentEvent(this.store, { environmentId: environment.id, requestKey: base.requestKey, notebookId: base.notebookId, action: 'failed', resolved, cachedFailure: true, seconds });
    this.report('failed', `${environment.failureMode} (recorded earlier): ${environment.failureMessage?.split('\n')[0] ?? ''}`);
    return { status: 'failed', action: 'failed', resolved, cachedFailure: true, environment, seconds };
  }

  private reused(environment: EnvironmentRecord, kernelSpec: KernelSpec, base: { requestKey: string; notebookId: number | null; started: number }, resolved: boolean): ReadyEnvironment {
    const seconds = (Date.now() - base.started) / 1000;
    this.store.db.transaction(() => {
      touchEnvironment(this.store, environment.id);
      linkRequest(this.store, base.requestKey, environment.id);
      recordEnvironmentEvent(this.store, { environmentId: environment.id, requestKey: base.requestKey, notebookId: base.notebookId, action: 'reused', resolved, cachedFailure: false, seconds });
    })();
    this.report('reuse', `reusing ${environment.key} (${environment.path})`);
    return { status: 'ready', action: 'reused', resolved, environment: getEnvironmentByKey(this.store, environment.key)!, kernelSpec, seconds };
  }

  private preflight(): void {
    mkdirSync(this.envDir, { recursive: true });
    const free = freeBytes(this.envDir);
    if (free < this.options.minFreeBytes) {
      throw new EnvironmentFailureError('disk', 'preflight', `${this.envDir} has ${(free / 1024 ** 2).toFixed(0)} MiB free, less than the ${(this.options.minFreeBytes / 1024 ** 2).toFixed(0)} MiB required (minFreeBytes)`);
    }
  }

  /** Reuse the environment with these pins if it is whole, else build it (one builder per key across processes). */
  private async buildOrReuse(resolved: Resolved & { notebookId: number | null; started: number }, deadline: number, didResolve: boolean): Promise<EnvironmentOutcome> {
    const key = environmentKey(resolved.python.version, resolved.lock.pins);
    const existing = getEnvironmentByKey(this.store, key);
    const intact = existing ? isIntact(existing) : null;
    if (existing && intact) return this.reused(existing, intact, resolved, didResolve);
    // These exact pins installed before and their kernel did not start: installing them again
    // would fail the same way (a corpus of 2017 notebooks would pay for it on every notebook).
    if (existing?.status === 'failed' && existing.failureStep === 'kernelspec' && existing.failureMode === 'install-failed' && !this.options.refresh) {
      return this.cachedFailure(existing, resolved, didResolve);
    }
    try {
      this.preflight();
      return await withBuildLock(join(this.envDir, `${key}.lock`), deadline, this.options.signal, async () => {
        // Another process may have finished the same build while this one waited for the lock.
        const now = getEnvironmentByKey(this.store, key);
        const done = now ? isIntact(now) : null;
        if (now && done) return this.reused(now, done, resolved, didResolve);
        return this.adopt(key, resolved, didResolve) ?? this.build(key, resolved, deadline, didResolve);
      });
    } catch (error) {
      if (error instanceof EnvironmentFailureError) return this.failBuild(key, resolved, error, didResolve);
      throw error;
    }
  }

  /**
   * The environment directory is shared by every store on the machine: when another store built
   * these exact pins (the same key: interpreter and pins), record that build here instead of deleting and
   * rebuilding it under kernels that other processes are running on it.
   */
  private adopt(key: string, resolved: Resolved & { notebookId: number | null; started: number }, didResolve: boolean): ReadyEnvironment | null {
    const dir = join(this.envDir, key);
    const marker = join(dir, MARKER_FILE);
    if (!existsSync(join(dir, 'bin', 'python')) || !existsSync(marker)) return null;
    try {
      if ((JSON.parse(readFileSync(marker, 'utf8')) as { key?: string }).key !== key) return null;
    } catch {
      return null;
    }
    const fields = this.fields(key, resolved, { path: dir, status: 'ready', buildSeconds: null });
    const kernelSpec = findEnvironmentKernelSpec(dir, ENVIRONMENT_KERNEL_NAME);
    if (!kernelSpec) return null;
    const seconds = (Date.now() - resolved.started) / 1000;
    this.store.db.transaction(() => {
      const environmentId = saveEnvironment(this.store, fields);
      linkRequest(this.store, resolved.requestKey, environmentId);
      recordEnvironmentEvent(this.store, { environmentId, requestKey: resolved.requestKey, notebookId: resolved.notebookId, action: 'reused', resolved: didResolve, cachedFailure: false, seconds });
    })();
    this.report('reuse', `reusing ${key} (${dir}), built by another store`);
    return { status: 'ready', action: 'reused', resolved: didResolve, environment: getEnvironmentByKey(this.store, key)!, kernelSpec, seconds };
  }

  private async build(key: string, resolved: Resolved & { notebookId: number | null; started: number }, deadline: number, didResolve: boolean): Promise<EnvironmentOutcome> {
    const dir = join(this.envDir, key);
    const buildStarted = Date.now();
    // A directory without a marker is a build that died half-way: start it over.
    rmSync(dir, { recursive: true, force: true });
    try {
      this.report('venv', `creating ${dir} with Python ${resolved.python.version}`);
      await this.uv.venv(resolved.python.path, dir, remaining(deadline, 'venv'));
      const lockPath = join(dir, LOCK_FILE);
      writeFileSync(lockPath, resolved.lock.text);
      this.report('install', `installing ${resolved.lock.pins.length} pins`);
      await this.uv.sync(join(dir, 'bin', 'python'), lockPath, { allowBuild: this.options.allowBuild, findLinks: resolved.findLinks, timeoutMs: remaining(deadline, 'install') });
      this.report('kernelspec', 'installing the kernelspec inside the environment');
      const kernelSpec = await this.installKernelSpec(dir, resolved.python.version, remaining(deadline, 'kernelspec'));
      const buildSeconds = (Date.now() - buildStarted) / 1000;
      const fields = this.fields(key, resolved, { path: dir, status: 'ready', buildSeconds });
      writeFileSync(join(dir, MARKER_FILE), `${JSON.stringify({ key, pythonVersion: resolved.python.version, lockHash: fields.lockHash, pins: resolved.lock.pins.length, builtAt: new Date().toISOString() }, null, 2)}\n`);
      const id = this.store.db.transaction(() => {
        const environmentId = saveEnvironment(this.store, fields);
        linkRequest(this.store, resolved.requestKey, environmentId);
        recordEnvironmentEvent(this.store, { environmentId, requestKey: resolved.requestKey, notebookId: resolved.notebookId, action: 'built', resolved: didResolve, cachedFailure: false, seconds: (Date.now() - resolved.started) / 1000 });
        return environmentId;
      })();
      this.report('done', `built ${key} in ${buildSeconds.toFixed(1)} s`);
      const environment = getEnvironmentByKey(this.store, key)!;
      return { status: 'ready', action: 'built', resolved: didResolve, environment: { ...environment, id }, kernelSpec, seconds: (Date.now() - resolved.started) / 1000 };
    } catch (error) {
      // Half an environment is worse than none: the next attempt starts clean.
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private async installKernelSpec(dir: string, pythonVersion: string, timeoutMs: number): Promise<KernelSpec> {
    const python = join(dir, 'bin', 'python');
    const minor = pythonVersion.split('.').slice(0, 2).join('.');
    const result = await runProcess(python, ['-m', 'ipykernel', 'install', '--prefix', dir, '--name', ENVIRONMENT_KERNEL_NAME, '--display-name', `Python ${minor} (mle ${dir.split('/').at(-1)})`], {
      timeoutMs,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
    if (result.aborted) throw new EnvironmentAbortedError('kernelspec');
    if (result.timedOut) throw new EnvironmentFailureError('timeout', 'kernelspec', `ipykernel install was killed after ${timeoutMs} ms`);
    if (result.exitCode !== 0) throw new EnvironmentFailureError('install-failed', 'kernelspec', trimToolMessage(result.stderr || result.spawnError || `exit ${result.exitCode}`));
    const spec = findEnvironmentKernelSpec(dir, ENVIRONMENT_KERNEL_NAME);
    if (!spec) throw new EnvironmentFailureError('install-failed', 'kernelspec', `ipykernel install succeeded but no kernelspec is at ${join(dir, 'share', 'jupyter', 'kernels', ENVIRONMENT_KERNEL_NAME)}`);
    return spec;
  }

  private fields(key: string, resolved: Resolved, extra: Pick<EnvironmentFields, 'path' | 'status' | 'buildSeconds'> & Partial<EnvironmentFields>): EnvironmentFields {
    return {
      key,
      kind: resolved.kind,
      pythonVersion: resolved.python.version,
      pythonPath: resolved.python.path,
      pythonRule: resolved.pythonRule,
      targetDate: resolved.targetDate,
      excludeNewer: resolved.excludeNewer,
      requested: resolved.requested,
      pins: resolved.lock.pins,
      lockHash: sha256(resolved.lock.text),
      lock: resolved.lock.text,
      failureMode: null,
      failureStep: null,
      failureMessage: null,
      ...extra,
    };
  }

  /** A build of known pins failed: record it under the pins' key. */
  private failBuild(key: string, resolved: Resolved & { notebookId: number | null; started: number }, error: EnvironmentFailureError, didResolve: boolean): FailedEnvironment {
    const fields = this.fields(key, resolved, { path: null, status: 'failed', buildSeconds: null, failureMode: error.mode, failureStep: error.step, failureMessage: error.toolMessage });
    return this.record(fields, resolved, error, didResolve);
  }

  /** Failed before pins were known: record it under the request's key. */
  private fail(
    base: { kind: EnvironmentKind; requestKey: string; targetDate: string | null; excludeNewer: string | null; requested: Record<string, unknown>; notebookId: number | null; started: number },
    pythonRule: PythonChoice | Record<string, unknown>,
    python: { version: string; path: string } | null,
    error: EnvironmentFailureError,
    didResolve: boolean,
  ): FailedEnvironment {
    const fields: EnvironmentFields = {
      key: `unresolved-${base.requestKey.slice(0, 16)}`,
      kind: base.kind,
      pythonVersion: python?.version ?? null,
      pythonPath: python?.path ?? null,
      pythonRule: pythonRule as Record<string, unknown>,
      targetDate: base.targetDate,
      excludeNewer: base.excludeNewer,
      requested: base.requested,
      pins: [],
      lockHash: null,
      lock: null,
      path: null,
      status: 'failed',
      failureMode: error.mode,
      failureStep: error.step,
      failureMessage: error.toolMessage,
      buildSeconds: null,
    };
    return this.record(fields, base, error, didResolve);
  }

  private record(fields: EnvironmentFields, base: { requestKey: string; notebookId: number | null; started: number }, error: EnvironmentFailureError, didResolve: boolean): FailedEnvironment {
    const seconds = (Date.now() - base.started) / 1000;
    const id = this.store.db.transaction(() => {
      const environmentId = saveEnvironment(this.store, fields);
      linkRequest(this.store, base.requestKey, environmentId);
      recordEnvironmentEvent(this.store, { environmentId, requestKey: base.requestKey, notebookId: base.notebookId, action: 'failed', resolved: didResolve, cachedFailure: false, seconds });
      return environmentId;
    })();
    this.report('failed', `${error.mode} (${error.step}): ${error.toolMessage.split('\n')[0] ?? ''}`);
    return { status: 'failed', action: 'failed', resolved: didResolve, cachedFailure: false, environment: { ...getEnvironmentByKey(this.store, fields.key)!, id }, seconds };
  }
}

function remaining(deadline: number, step: EnvironmentStep): number {
  const left = deadline - Date.now();
  if (left <= 0) throw new EnvironmentFailureError('timeout', step, `the time budget for this environment (timeoutMs) ran out before ${step}`);
  return left;
}

/** The line that says what went wrong: a Python traceback's last line, else the first line. */
export function summaryLine(message: string): string {
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean);
  if (lines.some((line) => line.startsWith('Traceback (most recent call last)'))) return lines.at(-1) ?? '';
  return lines[0] ?? '';
}

/** With today's kernel the kernel is ruled out as the cause; say that the dated one failed too. */
function withFirstFailure(failure: EnvironmentFailureError, first: EnvironmentFailureError | null): EnvironmentFailureError {
  if (!first) return failure;
  const note = `\n[mle] with the kernel stack as of the date it failed first: ${first.mode} (${first.step}): ${summaryLine(first.toolMessage)}`;
  return new EnvironmentFailureError(failure.mode, failure.step, `${failure.toolMessage}${note}`, { cause: failure });
}

/**
 * A resolution that fails on the torch ban says so, rather than leaving `torch<0` unexplained, and
 * counts as a conflict (with mle's policy) even where uv's explanation also lists old wheel-less
 * releases it backtracked through.
 */
function explainTorch(error: EnvironmentFailureError, constraints: readonly string[]): EnvironmentFailureError {
  if (!constraints.includes(NO_TORCH_CONSTRAINT) || !/torch<0/.test(error.toolMessage)) return error;
  return new EnvironmentFailureError('resolution-conflict', error.step, `${error.toolMessage}\n[mle] torch is excluded (PyPI's torch for Linux is a multi-GB CUDA build); a requirement needs it: pass --with-torch to use the local CPU wheel`, { cause: error });
}

/** Build or reuse one environment; see EnvironmentBuilder for repeated use. */
export function createEnvironment(store: WritableStore, request: EnvironmentRequest, options: EnvironmentOptions = {}): Promise<EnvironmentOutcome> {
  return new EnvironmentBuilder(store, options).create(request);
}

export type { FailureMode, EnvironmentStep };
