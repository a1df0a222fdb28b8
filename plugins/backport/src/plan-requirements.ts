import { mapImports, normalizeDistributionName, type RequestedDistribution, type SkippedImport } from './import-map.js';

/**
 * Today's ML stack: what a contemporary environment holds besides the corpus's own imports
 * (the list). ipykernel is not here: every environment gets it (see KERNEL_REQUIREMENT).
 */
export const CONTEMPORARY_STACK: readonly string[] = ['numpy', 'pandas', 'scikit-learn', 'scipy', 'matplotlib', 'seaborn', 'xgboost', 'lightgbm', 'statsmodels'];

/** Every environment needs a kernel; it is resolved together with everything else. */
export const KERNEL_REQUIREMENT = 'ipykernel';

/**
 * The kernel's own distributions: ipykernel and what it alone pulls in, plus the two backport
 * libraries (typing-extensions, exceptiongroup) that a newer IPython needs newer than it declares
 * (IPython 8.23 imports typing_extensions.TypeAliasType, absent from 4.5, and asks for no minimum).
 * When the kernel is taken as of today (policy `newest`, or `auto` after the dated kernel failed)
 * these are exempt from the date cutoff, as the study installed an unpinned ipykernel: the kernel
 * is the harness, not the notebook's environment. Without the exemption every date before 2015-08
 * fails (no ipykernel existed; the kernel lived in IPython 3) and most dates before 2018 fail with
 * --no-build (tornado shipped no wheels). Distributions that notebooks import for themselves
 * (python-dateutil, six, packaging, psutil) stay as of the date.
 */
export const KERNEL_STACK: readonly string[] = [
  'appnope', 'asttokens', 'backcall', 'comm', 'debugpy', 'decorator', 'entrypoints', 'exceptiongroup', 'executing', 'ipykernel', 'ipython',
  'ipython-genutils', 'jedi', 'jupyter-client', 'jupyter-core', 'matplotlib-inline', 'nest-asyncio', 'parso', 'pexpect',
  'pickleshare', 'platformdirs', 'prompt-toolkit', 'ptyprocess', 'pure-eval', 'pygments', 'pyzmq', 'simplegeneric',
  'stack-data', 'tornado', 'traitlets', 'typing-extensions', 'wcwidth',
];

/**
 * `as-of-date`: the kernel stack resolves as of the environment's date like everything else (one
 * consistent snapshot); `newest`: as of today; `auto`: as of the date, and as of today only when
 * the dated resolution fails for a reason that would recur.
 */
export type KernelPolicy = 'auto' | 'newest' | 'as-of-date';

/**
 * Lower bounds the kernel needs but old releases did not declare. ipykernel 4.0.x declares no
 * dependencies, so with --no-build (tornado shipped no wheels before 6.1, 2020-10) uv settles on
 * ipykernel 4.0.1 beside IPython 3.2.3, which resolves, installs and fails on `import
 * IPython.paths` (IPython 4+). Saying so makes such a date fail at resolution, in a second, and the
 * `auto` kernel policy then takes today's kernel instead of building a kernel that cannot start.
 */
export const KERNEL_CONSTRAINTS: readonly string[] = ['ipython>=4'];

/**
 * Forbids torch unless it is explicitly allowed: a requirement that pulls torch in transitively
 * (torchvision, a lightning package) then fails to resolve instead of downloading PyPI's CUDA build.
 */
export const NO_TORCH_CONSTRAINT = 'torch<0';

/**
 * CPU-only twins of distributions whose Linux wheels pull CUDA libraries: xgboost>=2 requires
 * nvidia-nccl (about 350 MB installed); xgboost-cpu is the same release without it, uploaded
 * from 2024-07-31 on. Used for the stack and for mapped imports once the twin exists at the
 * date; an explicit requirement is never substituted.
 */
export const CPU_VARIANTS: Readonly<Record<string, { distribution: string; since: string }>> = {
  xgboost: { distribution: 'xgboost-cpu', since: '2024-07-31T08:28:15Z' },
};

export interface PlanInput {
  imports: readonly string[];
  /** Explicit PEP 508 requirements (`--packages`). */
  packages: readonly string[];
  /** Added first (the contemporary stack), or empty. */
  stack: readonly string[];
  pythonMinor: string | null;
  allowTorch: boolean;
  /** The date the environment stands for: decides whether a CPU twin existed. */
  at?: Date;
}

export interface RequirementPlan {
  /** What uv resolves, sorted by normalized name, one entry per distribution. */
  requirements: string[];
  distributions: RequestedDistribution[];
  skipped: SkippedImport[];
}

const NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

function nameOf(requirement: string): string {
  const match = NAME.exec(requirement);
  if (!match) throw new InvalidRequirementError(requirement);
  return normalizeDistributionName(match[1]!);
}

/** A `--packages` entry that is not a PEP 508 requirement. */
export class InvalidRequirementError extends Error {
  override name = 'InvalidRequirementError';
  constructor(readonly requirement: string) {
    super(`not a requirement: ${JSON.stringify(requirement)} (expected e.g. numpy or pandas<2)`);
  }
}

/**
 * Turn imports, explicit requirements and a stack into the list uv resolves. When a distribution
 * is asked for twice, an explicit requirement (which may carry a version specifier) wins over a
 * mapped import, which wins over the stack.
 */
export function planRequirements(input: PlanInput): RequirementPlan {
  const mapping = mapImports(input.imports, { ...(input.pythonMinor ? { pythonMinor: input.pythonMinor } : {}), allowTorch: input.allowTorch });
  const cpuTwin = (distribution: RequestedDistribution): RequestedDistribution => {
    const twin = CPU_VARIANTS[nameOf(distribution.requirement)];
    if (!twin || !input.at || input.at.getTime() < Date.parse(twin.since)) return distribution;
    return { ...distribution, requirement: twin.distribution, note: `${twin.distribution}: ${distribution.requirement} without its CUDA libraries` };
  };
  const byName = new Map<string, RequestedDistribution>();
  // Keyed by the name asked for (xgboost, not xgboost-cpu), so an explicit xgboost==x replaces the twin.
  for (const requirement of input.stack) byName.set(nameOf(requirement), cpuTwin({ requirement, source: 'stack', modules: [] }));
  for (const mapped of mapping.distributions) {
    const distribution = cpuTwin(mapped);
    const key = nameOf(mapped.requirement);
    const existing = byName.get(key);
    byName.set(key, existing ? { ...distribution, modules: [...new Set([...existing.modules, ...distribution.modules])] } : distribution);
  }
  for (const requirement of input.packages) {
    const key = nameOf(requirement);
    const existing = byName.get(key);
    byName.set(key, { requirement: requirement.trim(), source: 'explicit', modules: existing?.modules ?? [] });
  }
  const kernel = normalizeDistributionName(KERNEL_REQUIREMENT);
  if (!byName.has(kernel)) byName.set(kernel, { requirement: KERNEL_REQUIREMENT, source: 'stack', modules: [], note: 'the kernel every environment needs' });
  const distributions = [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, distribution]) => distribution);
  return { requirements: distributions.map((distribution) => distribution.requirement), distributions, skipped: mapping.skipped };
}
