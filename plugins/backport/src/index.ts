export { IMPORT_MAP, TORCH_FAMILY, mapImports, normalizeDistributionName, type ImportMapEntry, type ImportMapping, type MapImportsOptions, type RequestedDistribution, type SkippedImport, type SkipReason, type DistributionSource } from './import-map.js';
export { STDLIB_MODULES } from './stdlib-modules.js';
export { PYTHON_MINOR_RELEASES, choosePython, idealPythonFor, newestMinorAt, type PythonChoice, type PythonChoiceReason, type ChoosePythonOptions } from './python-for-date.js';
export { findInterpreters } from './find-interpreters.js';
export { FAILURE_MODES, DETERMINISTIC_FAILURES, EnvironmentFailureError, classifyUvFailure, trimToolMessage, type FailureMode, type EnvironmentStep } from './failure-mode.js';
export { formatLock, parseLock, environmentKey, LockParseError, type Pin, type LockFile, type LockHeader } from './lock-file.js';
export { CONTEMPORARY_STACK, KERNEL_CONSTRAINTS, KERNEL_REQUIREMENT, KERNEL_STACK, NO_TORCH_CONSTRAINT, planRequirements, InvalidRequirementError, type RequirementPlan, type KernelPolicy } from './plan-requirements.js';
export { findLocalTorchWheel, torchWheelDirs, type LocalTorchWheel } from './torch-wheels.js';
export {
  EnvironmentBuilder,
  createEnvironment,
  defaultEnvDir,
  parseEnvironmentDate,
  snapDate,
  type DateGranularity,
  InvalidEnvironmentDateError,
  EnvironmentAbortedError,
  DEFAULT_ENVIRONMENT_OPTIONS,
  ENVIRONMENT_KERNEL_NAME,
  type EnvironmentRequest,
  type EnvironmentOptions,
  type EnvironmentOutcome,
  type ReadyEnvironment,
  type FailedEnvironment,
  type EnvironmentProgress,
  type EnvironmentPhase,
} from './create-environment.js';
export {
  getEnvironment,
  getEnvironmentByKey,
  listEnvironments,
  environmentUsage,
  type EnvironmentRecord,
  type EnvironmentKind,
  type EnvironmentStatus,
  type EnvironmentUsage,
  type EnvironmentListFilter,
} from './environment-store.js';
export { gcEnvironments, type GcOptions, type GcResult, type GcEntry, type GcReason } from './gc-environments.js';
export { notebookFacts, notebookFactsFromFile, notebookFactsFromStore, NotebookNotFoundError, type NotebookEnvironmentFacts } from './notebook-imports.js';
export { createNotebookEnvironment, type NotebookEnvironmentOverrides, type NotebookEnvironmentResult } from './notebook-environment.js';
export { backportExperiment, transitions, type BackportOptions, type BackportSummary } from './backport-experiment.js';
