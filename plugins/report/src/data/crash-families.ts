/**
 * Crash taxonomy after the modernization study (modernization-study.md §4, from MLEModernizer's
 * `crash_report/error_causes.py`): four families of crash types. The study assigned types by
 * hand-written message patterns and clustering; here each crash is mapped by its exception name
 * (the last dotted segment, so `tensorflow.python.framework.errors_impl.InvalidArgumentError` is
 * `InvalidArgumentError`) and, for the exceptions that say little by name (ValueError, RuntimeError,
 * KeyError, ...), by its message. Rules are tried in order; the first match decides.
 *
 * Three statuses have no exception: a timeout (the study's runtime-reduction trigger) and a
 * killed kernel (OOM or a signal) are resource crashes; an environment that could not be built is
 * an environment crash. Anything unmatched is `other-exception` in the Python family.
 */
export const CRASH_FAMILIES = ['environment', 'names-and-resources', 'shapes-and-data', 'python-exceptions'] as const;
export type CrashFamily = (typeof CRASH_FAMILIES)[number];

export const CRASH_FAMILY_LABELS: Record<CrashFamily, string> = {
  environment: 'environment',
  'names-and-resources': 'names and resources',
  'shapes-and-data': 'shapes and data',
  'python-exceptions': 'Python exceptions',
};

export interface CrashInput {
  /** The run's status: error, timeout, kernel-died or env-failed. */
  status: string;
  errorName: string | null;
  errorValue: string | null;
}

export interface CrashRule {
  type: string;
  family: CrashFamily;
  /** What the rule looks at, for the mapping table printed in the report. */
  description: string;
  matches(input: CrashInput, name: string, message: string): boolean;
}

const named = (...names: string[]) => (_: CrashInput, name: string) => names.includes(name);

// Message patterns for the data family. They are checked before the generic exception types,
// since the study files `ValueError: operands could not be broadcast` under broadcasting, not
// under ValueError.
const BROADCAST = /could not be broadcast|broadcast(ing)? (input|shapes?)|non-broadcastable|cannot broadcast/i;
const FEATURE_NAMES = /feature[ _]names?|features? (mismatch|shape mismatch)|X has \d+ features?|expecting \d+ features|number of features|not in index|columns? .*not (found|in)|are in the \[columns\]|unseen features|missing columns/i;
const TENSOR_SHAPE =
  /shapes? .*(mismatch|not aligned|incompatible|must match)|incompatible shapes|size mismatch|dimension mismatch|mat1 and mat2|expected .*(dim|dimension|shape|input.*size)|inconsistent numbers of samples|cannot reshape|could not reshape|wrong number of dimensions|dimensions must be equal|must have the same (shape|size|length)|length of values .* does not match|length mismatch|input has \d+ columns?/i;
const DATA_VALUE =
  /input (x |y )?contains (nan|infinity)|contains nan|could not convert|invalid literal|unknown label type|previously unseen labels?|contains only one class|only one class|found array with 0 sample|empty (data|dataframe|array)|cannot convert float nan|out of bounds for|not supported between instances of 'str'|unable to parse string|no columns to parse|error tokenizing data|invalid value encountered|must be non-?negative|negative values/i;

export const CRASH_RULES: readonly CrashRule[] = [
  { type: 'environment build failed', family: 'environment', description: 'run status env-failed: no environment or kernel to run in', matches: (i) => i.status === 'env-failed' },
  { type: 'module not found', family: 'environment', description: 'ModuleNotFoundError, or "No module named" in the message', matches: (_, name, message) => name === 'ModuleNotFoundError' || /no module named/i.test(message) },
  {
    type: 'environment error',
    family: 'environment',
    description: 'ImportError (cannot import name, DLL/shared-library load failures), VersionConflict, DistributionNotFound',
    matches: named('ImportError', 'VersionConflict', 'DistributionNotFound', 'ContextualVersionConflict'),
  },
  { type: 'timeout', family: 'names-and-resources', description: 'run status timeout: the notebook or a cell ran out of time (insufficient resource)', matches: (i) => i.status === 'timeout' },
  {
    type: 'out of memory',
    family: 'names-and-resources',
    description: 'MemoryError, OutOfMemoryError, ResourceExhaustedError, "out of memory"/OOM in the message, or a kernel killed for memory',
    matches: (i, name, message) =>
      ['MemoryError', 'OutOfMemoryError', 'ResourceExhaustedError', 'ArrayMemoryError'].includes(name) || /out of memory|\boom\b|unable to allocate|cannot allocate memory/i.test(`${name} ${message}`),
  },
  { type: 'kernel died', family: 'names-and-resources', description: 'run status kernel-died without a memory cause (a signal, a segfault)', matches: (i) => i.status === 'kernel-died' },
  { type: 'variable not found', family: 'names-and-resources', description: 'NameError, UnboundLocalError', matches: named('NameError', 'UnboundLocalError') },
  {
    type: 'IO/request error',
    family: 'names-and-resources',
    description: 'FileNotFoundError, OSError/IOError and their subclasses, HTTP/URL/connection/SSL errors',
    matches: named(
      'FileNotFoundError',
      'OSError',
      'IOError',
      'PermissionError',
      'IsADirectoryError',
      'NotADirectoryError',
      'FileExistsError',
      'ConnectionError',
      'ConnectionRefusedError',
      'ConnectionResetError',
      'HTTPError',
      'URLError',
      'SSLError',
      'gaierror',
      'ReadTimeout',
      'ConnectTimeout',
      'MaxRetryError',
      'NewConnectionError',
      'RemoteDisconnected',
      'BlockingIOError',
      'NotFoundError',
    ),
  },
  { type: 'unsupported broadcast', family: 'shapes-and-data', description: 'message: operands could not be broadcast, non-broadcastable', matches: (_, __, message) => BROADCAST.test(message) },
  {
    type: 'feature-name mismatch',
    family: 'shapes-and-data',
    description: 'message: feature names, X has N features, "not in index", columns not found (KeyError/ValueError included)',
    matches: (_, __, message) => FEATURE_NAMES.test(message),
  },
  {
    type: 'tensor-shape mismatch',
    family: 'shapes-and-data',
    description: 'message: shapes mismatch/not aligned, size mismatch, expected N dimensions, inconsistent numbers of samples, cannot reshape',
    matches: (_, __, message) => TENSOR_SHAPE.test(message),
  },
  {
    type: 'data-value violation',
    family: 'shapes-and-data',
    description: 'message: input contains NaN/infinity, could not convert, unknown label type, unseen labels, one class; pandas ParserError/EmptyDataError',
    matches: (_, name, message) => name === 'ParserError' || name === 'EmptyDataError' || DATA_VALUE.test(message),
  },
  { type: 'key error', family: 'python-exceptions', description: 'KeyError', matches: named('KeyError') },
  { type: 'index error', family: 'python-exceptions', description: 'IndexError', matches: named('IndexError') },
  { type: 'attribute error', family: 'python-exceptions', description: 'AttributeError', matches: named('AttributeError') },
  { type: 'type error', family: 'python-exceptions', description: 'TypeError', matches: named('TypeError') },
  { type: 'invalid argument', family: 'python-exceptions', description: 'InvalidArgumentError, InvalidParameterError (TensorFlow, scikit-learn)', matches: named('InvalidArgumentError', 'InvalidParameterError') },
  { type: 'value error', family: 'python-exceptions', description: 'ValueError', matches: named('ValueError') },
  { type: 'runtime error', family: 'python-exceptions', description: 'RuntimeError', matches: named('RuntimeError') },
  { type: 'other exception', family: 'python-exceptions', description: 'anything else (AssertionError, ZeroDivisionError, SyntaxError, ...)', matches: () => true },
];

/** The exception name without its module path (`a.b.InvalidArgumentError` → `InvalidArgumentError`). */
export function shortErrorName(errorName: string | null): string {
  if (!errorName) return '';
  const trimmed = errorName.trim();
  return trimmed.slice(trimmed.lastIndexOf('.') + 1);
}

export interface CrashClass {
  family: CrashFamily;
  type: string;
  /** The exception name shown in the taxonomy; the status when there is none (`timeout`). */
  errorName: string;
}

export function classifyCrash(input: CrashInput): CrashClass {
  const name = shortErrorName(input.errorName);
  const message = input.errorValue ?? '';
  const rule = CRASH_RULES.find((r) => r.matches(input, name, message))!;
  return { family: rule.family, type: rule.type, errorName: name || `(${input.status})` };
}
