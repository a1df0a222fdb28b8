/** Variables copied from the host when set; everything else is dropped so secrets never reach a kernel. */
const COPIED_FROM_HOST = ['LANG', 'LC_ALL', 'PYTHONHASHSEED'] as const;

export interface KernelEnvironmentOptions {
  /** PATH inside the kernel. */
  path: string;
  /** HOME inside the kernel (the work directory, as on Kaggle). */
  home: string;
  /** Explicit extra variables, applied last. */
  extra?: Record<string, string>;
  /** Where LANG, LC_ALL and PYTHONHASHSEED are read from (default process.env). */
  hostEnv?: NodeJS.ProcessEnv;
}

/**
 * The whole environment of a kernel, built from an allow-list rather than by removing known
 * secrets: PATH, HOME, LANG, LC_ALL, PYTHONHASHSEED when the host has it, MPLBACKEND=agg (no
 * display), then the explicit extras.
 */
export function kernelEnvironment(options: KernelEnvironmentOptions): Record<string, string> {
  const host = options.hostEnv ?? process.env;
  const env: Record<string, string> = { PATH: options.path, HOME: options.home, LANG: 'C.UTF-8' };
  for (const name of COPIED_FROM_HOST) {
    const value = host[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  env.MPLBACKEND = 'agg';
  return { ...env, ...options.extra };
}
