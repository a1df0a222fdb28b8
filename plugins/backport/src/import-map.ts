import { STDLIB_MODULES } from './stdlib-modules.js';

/**
 * One row of the import → distribution table. `distribution: null` marks a module that exists
 * only on a platform (Kaggle's kernels, Colab) and is on no index: requesting it would resolve
 * to nothing, or worse to an unrelated PyPI project of the same name.
 */
export interface ImportMapEntry {
  distribution: string | null;
  /** Distributions the module needs beside its own to import at all (keras → a backend). */
  companions?: readonly string[];
  note?: string;
}

/**
 * Import name (top-level, or a dotted prefix for namespace packages) → PyPI distribution, for
 * the names that differ or need a note. Names that equal their distribution (numpy, pandas) are
 * listed too where notebooks use them often, so a resolution records `table` rather than `guess`
 * for the common stack. Keep entries sorted by key within each group.
 */
export const IMPORT_MAP: Readonly<Record<string, ImportMapEntry>> = {
  // Renamed distributions: the import name is not the PyPI name.
  Bio: { distribution: 'biopython' },
  bs4: { distribution: 'beautifulsoup4' },
  category_encoders: { distribution: 'category-encoders' },
  Crypto: { distribution: 'pycryptodome' },
  cv2: { distribution: 'opencv-python' },
  dateutil: { distribution: 'python-dateutil' },
  docx: { distribution: 'python-docx' },
  dotenv: { distribution: 'python-dotenv' },
  faiss: { distribution: 'faiss-cpu', note: 'the CPU build; faiss-gpu needs CUDA' },
  fitz: { distribution: 'PyMuPDF' },
  'google.cloud.bigquery': { distribution: 'google-cloud-bigquery' },
  'google.cloud.storage': { distribution: 'google-cloud-storage' },
  'google.protobuf': { distribution: 'protobuf' },
  imblearn: { distribution: 'imbalanced-learn' },
  IPython: { distribution: 'ipython' },
  jwt: { distribution: 'PyJWT' },
  keras_preprocessing: { distribution: 'Keras-Preprocessing' },
  Levenshtein: { distribution: 'python-Levenshtein' },
  more_itertools: { distribution: 'more-itertools' },
  mpl_toolkits: { distribution: 'matplotlib', note: 'mplot3d and axes_grid1 ship with matplotlib' },
  'mpl_toolkits.basemap': { distribution: 'basemap' },
  MySQLdb: { distribution: 'mysqlclient' },
  OpenSSL: { distribution: 'pyOpenSSL' },
  pandas_profiling: { distribution: 'pandas-profiling' },
  PIL: { distribution: 'Pillow' },
  pkg_resources: { distribution: 'setuptools' },
  psycopg2: { distribution: 'psycopg2-binary', note: 'the wheel build; psycopg2 itself is sdist-only' },
  pytorch_lightning: { distribution: 'pytorch-lightning' },
  sentence_transformers: { distribution: 'sentence-transformers' },
  serial: { distribution: 'pyserial' },
  skimage: { distribution: 'scikit-image' },
  sklearn: { distribution: 'scikit-learn' },
  slugify: { distribution: 'python-slugify' },
  tensorflow_datasets: { distribution: 'tensorflow-datasets' },
  tensorflow_hub: { distribution: 'tensorflow-hub' },
  tf_keras: { distribution: 'tf-keras' },
  umap: { distribution: 'umap-learn' },
  Unidecode: { distribution: 'Unidecode' },
  unidecode: { distribution: 'Unidecode' },
  wx: { distribution: 'wxPython' },
  yaml: { distribution: 'PyYAML' },
  ydata_profiling: { distribution: 'ydata-profiling' },
  zmq: { distribution: 'pyzmq' },
  // Keras needs a backend to import; the study added TensorFlow whenever Keras was present.
  keras: { distribution: 'keras', companions: ['tensorflow'], note: 'tensorflow added as the backend, as the study did' },
  // Same name on PyPI, listed so the common data-science stack is never a guess.
  catboost: { distribution: 'catboost' },
  gensim: { distribution: 'gensim' },
  h5py: { distribution: 'h5py' },
  lightgbm: { distribution: 'lightgbm' },
  matplotlib: { distribution: 'matplotlib' },
  missingno: { distribution: 'missingno' },
  nltk: { distribution: 'nltk' },
  numpy: { distribution: 'numpy' },
  optuna: { distribution: 'optuna' },
  pandas: { distribution: 'pandas' },
  plotly: { distribution: 'plotly' },
  scipy: { distribution: 'scipy' },
  seaborn: { distribution: 'seaborn' },
  shap: { distribution: 'shap' },
  statsmodels: { distribution: 'statsmodels' },
  tensorflow: { distribution: 'tensorflow' },
  tqdm: { distribution: 'tqdm' },
  transformers: { distribution: 'transformers' },
  wordcloud: { distribution: 'wordcloud' },
  xgboost: { distribution: 'xgboost', note: 'xgboost>=2 on Linux x86_64 pulls nvidia-nccl-cu12 (~200 MB), a CUDA library' },
  // The PyTorch family: resolved only from a local CPU wheel (see torch-wheels.ts).
  torch: { distribution: 'torch' },
  torchaudio: { distribution: 'torchaudio' },
  torchvision: { distribution: 'torchvision' },
  // On no index: provided by the platform the notebook ran on.
  google: { distribution: null, note: 'a namespace; only google.<package> names a distribution' },
  'google.colab': { distribution: null, note: 'provided by Google Colab only' },
  kaggle_datasets: { distribution: null, note: "provided by Kaggle's kernels only" },
  kaggle_secrets: { distribution: null, note: "provided by Kaggle's kernels only" },
  kaggle_web_client: { distribution: null, note: "provided by Kaggle's kernels only" },
  learntools: { distribution: null, note: "Kaggle Learn's helpers, installed from GitHub in Kaggle's image" },
};

/** Distributions of the PyTorch family: excluded unless torch is explicitly allowed. */
export const TORCH_FAMILY: ReadonlySet<string> = new Set(['torch', 'torchvision', 'torchaudio', 'torchtext', 'torchdata', 'pytorch-lightning', 'lightning', 'fastai', 'timm']);

/**
 * Modules that became stdlib in a given Python and have a same-named PyPI backport for older
 * ones: a 3.6 interpreter needs `dataclasses` from PyPI.
 */
const STDLIB_SINCE: Readonly<Record<string, { minor: number; backport: string }>> = {
  contextvars: { minor: 7, backport: 'contextvars' },
  dataclasses: { minor: 7, backport: 'dataclasses' },
};

/** Modules removed from the stdlib whose import keeps working through a distribution. */
const STDLIB_REMOVED: Readonly<Record<string, { minor: number; replacement: string; note: string }>> = {
  distutils: { minor: 12, replacement: 'setuptools', note: 'removed in 3.12; setuptools provides the distutils shim' },
};

/** Why an import needs no distribution, or gets none. */
export type SkipReason = 'stdlib' | 'relative' | 'platform-only' | 'invalid-name' | 'torch-excluded';

export interface SkippedImport {
  module: string;
  reason: SkipReason;
  note?: string;
}

/**
 * Where a requested distribution came from: the maintained table, a fallback guess (import name
 * taken as the distribution name), a companion another entry needs, a stdlib backport, or named
 * explicitly by the user.
 */
export type DistributionSource = 'table' | 'guess' | 'companion' | 'stdlib-backport' | 'explicit' | 'stack';

export interface RequestedDistribution {
  /** A PEP 508 requirement: a bare name, or a name with a specifier for explicit requests. */
  requirement: string;
  source: DistributionSource;
  /** The import names (top-level or dotted prefix) that asked for it. */
  modules: string[];
  note?: string;
}

export interface ImportMapping {
  distributions: RequestedDistribution[];
  skipped: SkippedImport[];
}

export interface MapImportsOptions {
  /** The interpreter's minor version (`3.10`), for stdlib modules added or removed over time. */
  pythonMinor?: string;
  /** Keep the PyTorch family (default false: it is skipped as `torch-excluded`). */
  allowTorch?: boolean;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** PEP 503 normalized name: how indexes compare distribution names. */
export function normalizeDistributionName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function minorNumber(pythonMinor: string | undefined): number | null {
  const match = pythonMinor ? /^3\.(\d+)/.exec(pythonMinor) : null;
  return match ? Number(match[1]) : null;
}

/** The longest dotted prefix of `module` that has a table entry (`google.cloud.storage.blob` → `google.cloud.storage`). */
function tableEntryFor(module: string): { key: string; entry: ImportMapEntry } | null {
  const parts = module.split('.');
  for (let n = parts.length; n >= 1; n--) {
    const key = parts.slice(0, n).join('.');
    const entry = IMPORT_MAP[key];
    if (entry) return { key, entry };
  }
  return null;
}

/**
 * Map a notebook's imported modules (dotted, as written) to the distributions an environment
 * needs, recording for each whether it came from the table or is a guess, and why each skipped
 * import needs nothing. Deterministic: distributions come out sorted by normalized name.
 */
export function mapImports(modules: Iterable<string>, options: MapImportsOptions = {}): ImportMapping {
  const minor = minorNumber(options.pythonMinor);
  const wanted = new Map<string, RequestedDistribution>();
  const skipped = new Map<string, SkippedImport>();
  const request = (requirement: string, source: DistributionSource, module: string, note?: string) => {
    const key = normalizeDistributionName(requirement);
    const existing = wanted.get(key);
    if (existing) {
      if (!existing.modules.includes(module)) existing.modules.push(module);
      // A table or companion match outranks a guess made from another import.
      if (existing.source === 'guess' && source !== 'guess') existing.source = source;
      return;
    }
    wanted.set(key, { requirement, source, modules: [module], ...(note ? { note } : {}) });
  };
  const skip = (module: string, reason: SkipReason, note?: string) => {
    if (!skipped.has(module)) skipped.set(module, { module, reason, ...(note ? { note } : {}) });
  };

  for (const raw of modules) {
    const module = raw.trim();
    if (module.startsWith('.')) {
      skip(module, 'relative');
      continue;
    }
    const top = module.split('.')[0] ?? '';
    if (!IDENTIFIER.test(top)) {
      skip(module, 'invalid-name');
      continue;
    }
    const removed = STDLIB_REMOVED[top];
    if (removed && minor !== null && minor >= removed.minor) {
      request(removed.replacement, 'stdlib-backport', top, removed.note);
      continue;
    }
    const since = STDLIB_SINCE[top];
    if (since && minor !== null && minor < since.minor) {
      request(since.backport, 'stdlib-backport', top, `stdlib only from 3.${since.minor}`);
      continue;
    }
    if (STDLIB_MODULES.has(top)) {
      skip(top, 'stdlib');
      continue;
    }
    const match = tableEntryFor(module);
    if (match && match.entry.distribution === null) {
      // `import google.cloud.storage` has its own row; bare `google` is only a namespace.
      skip(match.key, 'platform-only', match.entry.note);
      continue;
    }
    const distribution = match?.entry.distribution ?? top;
    if (!options.allowTorch && TORCH_FAMILY.has(normalizeDistributionName(distribution))) {
      skip(match?.key ?? top, 'torch-excluded', 'PyPI torch for Linux is a CUDA build of several GB; pass --with-torch to use the local CPU wheel');
      continue;
    }
    if (match) {
      request(distribution, 'table', match.key, match.entry.note);
      for (const companion of match.entry.companions ?? []) request(companion, 'companion', match.key, `needed by ${match.key}`);
    } else {
      request(top, 'guess', top, 'import name taken as the distribution name');
    }
  }
  const byName = (a: { requirement: string }, b: { requirement: string }) => normalizeDistributionName(a.requirement).localeCompare(normalizeDistributionName(b.requirement));
  return {
    distributions: [...wanted.values()].sort(byName),
    skipped: [...skipped.values()].sort((a, b) => a.module.localeCompare(b.module)),
  };
}
