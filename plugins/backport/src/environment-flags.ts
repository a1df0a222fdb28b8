import { Flags } from '@oclif/core';
import type { EnvironmentOptions } from './create-environment.js';
import type { EnvironmentRecord } from './environment-store.js';

/** `--env-dir`, shared by every `mle env` command. */
export const envDirFlag = Flags.string({
  summary: 'Directory of environment directories.',
  description: 'Default: $MLE_ENV_DIR, else ~/.cache/mle/envs.',
  env: 'MLE_ENV_DIR',
});

/** Flags of `mle env create` that shape how an environment is made. */
export const buildFlags = {
  'env-dir': envDirFlag,
  'uv-cache-dir': Flags.string({ summary: "uv's download and wheel cache (shared by all environments).", env: 'UV_CACHE_DIR' }),
  'allow-build': Flags.boolean({ summary: 'Let uv build source distributions (default: wheels only, so a date without wheels fails in seconds as no-wheel).', default: false }),
  'with-torch': Flags.boolean({
    summary: 'Install torch from the local CPU wheel (default: torch imports are skipped and anything needing torch fails to resolve).',
    description: "PyPI's torch for Linux is a CUDA build of several GB; mle never downloads it. The CPU wheel is looked for in $MLE_TORCH_WHEELS, $PIP_FIND_LINKS or /opt/wheels.",
    default: false,
  }),
  'kernel-policy': Flags.option({
    summary: 'How the kernel stack (ipykernel and what it alone needs) is dated.',
    description: 'as-of-date: like everything else; newest: as of today; auto: as of the date, as of today only when that fails to resolve.',
    options: ['auto', 'newest', 'as-of-date'] as const,
    default: 'auto' as const,
  })(),
  python: Flags.string({ summary: 'Python version to use instead of the date rule (3.10 or 3.10.13).' }),
  'date-granularity': Flags.option({
    summary: 'Round dates down to the start of their day, week or month so that nearby notebooks share environments.',
    options: ['exact', 'day', 'week', 'month'] as const,
    default: 'exact' as const,
  })(),
  'timeout-seconds': Flags.integer({ summary: 'Time budget per environment, all steps together.', default: 1800, min: 1 }),
  'min-free-mb': Flags.integer({ summary: 'Refuse to build (failure disk) with less free space than this in the environment directory.', default: 1024, min: 0 }),
  offline: Flags.boolean({ summary: "Use uv's cache only; never touch the network.", default: false }),
  refresh: Flags.boolean({ summary: 'Ignore cached resolutions and recorded failures; resolve again.', default: false }),
  'index-url': Flags.string({ summary: 'Package index instead of PyPI.', env: 'UV_INDEX_URL' }),
};

export function environmentOptionsFromFlags(flags: {
  'env-dir'?: string | undefined;
  'uv-cache-dir'?: string | undefined;
  'allow-build': boolean;
  'with-torch': boolean;
  'kernel-policy': 'auto' | 'newest' | 'as-of-date';
  'date-granularity': 'exact' | 'day' | 'week' | 'month';
  'timeout-seconds': number;
  'min-free-mb': number;
  offline: boolean;
  refresh: boolean;
  'index-url'?: string | undefined;
}): EnvironmentOptions {
  return {
    envDir: flags['env-dir'],
    uvCacheDir: flags['uv-cache-dir'],
    allowBuild: flags['allow-build'],
    withTorch: flags['with-torch'],
    kernelPolicy: flags['kernel-policy'],
    dateGranularity: flags['date-granularity'],
    timeoutMs: flags['timeout-seconds'] * 1000,
    minFreeBytes: flags['min-free-mb'] * 1024 * 1024,
    offline: flags.offline,
    refresh: flags.refresh,
    indexUrl: flags['index-url'],
  };
}

/** Comma-separated list flag → trimmed, non-empty items. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** One line a person reads about an environment. */
export function describeEnvironment(environment: Omit<EnvironmentRecord, 'lock'>): string {
  const date = environment.targetDate ? environment.targetDate.slice(0, 10) : '-';
  const python = environment.pythonVersion ?? '-';
  if (environment.status === 'failed') {
    const first = environment.failureMessage?.split('\n').find((line) => line.trim()) ?? '';
    return `#${environment.id} failed ${environment.kind} as of ${date}, Python ${python}: ${environment.failureMode} (${environment.failureStep}) ${first.trim()}`;
  }
  return `#${environment.id} ${environment.status} ${environment.kind} as of ${date}, Python ${python}, ${environment.pins.length} pins, ${environment.key} → ${environment.path ?? '-'}`;
}
