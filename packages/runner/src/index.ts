// @mle/runner: competitions, graders, submission grading, the reproducibility verdict, the
// execution tables, and the experiment runner that drives @mle/kernel's executor. Shared by
// `mle run`, `mle backport` and `mle modernize`.

export {
  COMPETITION_FILE,
  DATA_DIR,
  PRIVATE_DIR,
  DESCRIPTION_FILE,
  SAMPLE_SUBMISSION_FILE,
  DEFAULT_DATA_FILES,
  DEFAULT_RUNTIME_BUDGET_SECONDS,
  KAGGLE_INPUT_DIR,
  KAGGLE_WORKING_DIR,
  SUBMISSION_FILE,
  CompetitionError,
  competitionMountPath,
  loadCompetition,
  loadCompetitions,
  type Competition,
  type CompetitionConfig,
  type LoadCompetitionOptions,
} from './competition.js';
export { GRADING_ERROR_CODES, GradingError, isGradingErrorCode, type GradingErrorCode } from './grading-error.js';
export type { Grader, GraderOptions, GradingTable } from './graders/grader.js';
export { BUILTIN_GRADERS, GraderRegistry, createGraderRegistry, type ResolvedMetric } from './graders/grader-registry.js';
export { accuracy } from './graders/accuracy.js';
export { rocAuc, binaryRocAuc } from './graders/roc-auc.js';
export { logLoss } from './graders/log-loss.js';
export { rmse, rootMeanSquaredError } from './graders/rmse.js';
export { rmsle } from './graders/rmsle.js';
export { mae } from './graders/mae.js';
export { f1Macro } from './graders/f1-macro.js';
export { f1Micro } from './graders/f1-micro.js';
export { quadraticWeightedKappa } from './graders/quadratic-weighted-kappa.js';
export { mapAtK, averagePrecisionAtK } from './graders/map-at-k.js';
export { parseNumber, numericColumn, numericColumns, labelColumn, valueError, type TableSide, type ParsedNumber } from './graders/column-values.js';
export { CsvReadError, readCsvColumns, readCsvHeader, type CsvColumns, type ReadCsvOptions } from './read-csv-columns.js';
export {
  gradeSubmission,
  gradeWorkingDirectory,
  loadAnswers,
  maxSubmissionRows,
  type AnswersTable,
  type GradeOutcome,
  type GradeSuccess,
  type GradeFailure,
  type GradeSubmissionOptions,
} from './grade-submission.js';
export { logGamma, logBeta, regularizedIncompleteBeta, studentTCdf, studentTSurvival, studentTTwoSided } from './student-t.js';
export {
  DEFAULT_TOLERANCE,
  DEFAULT_ALPHA,
  relativeError,
  withinTolerance,
  oneSampleTTest,
  isstaNormaliser,
  judgeReproducibility,
  type TTestResult,
  type Verdict,
  type VerdictCriterion,
  type VerdictOptions,
} from './reproducibility.js';
export { RUN_STATUSES, isRunStatus, deriveRunStatus, runOutcome, type RunStatus, type RunStatusFacts, type RunOutcome, type RunOutcomeInput } from './run-status.js';
export {
  recordCompetition,
  getCompetitionRow,
  listCompetitionRows,
  competitionReportedScores,
  EXPERIMENT_KINDS,
  ExperimentConflictError,
  ensureExperiment,
  getExperiment,
  listExperiments,
  finishExperiment,
  RUN_CELL_STATUSES,
  recordRun,
  recordedAttempts,
  getRun,
  listRuns,
  getRunCells,
  runStatusCounts,
  recordVerdict,
  getVerdict,
  judgeNotebook,
  type CompetitionRow,
  type ExperimentKind,
  type ExperimentRow,
  type ExperimentSpec,
  type NewRun,
  type NewRunCell,
  type RunRow,
  type RunCellRow,
  type RunCellStatus,
  type RecordRunResult,
  type RunVerdictRow,
  type JudgeNotebookOptions,
} from './run-store.js';
export { resolveKernel, environmentKernel, KernelNotFoundError, onGateway, gatewayKernel, gatewayLauncher, type ResolvedKernel, type GatewayTarget } from './resolve-kernel.js';
export { runAttempt, type AttemptInput, type AttemptLimits, type AttemptResult } from './run-attempt.js';
export { runExperiment, allNotebookIds, type RunOracle, type KernelChoice, type KernelPerNotebook, type RunExperimentOptions, type RunExperimentSummary, type RunProgress, type RunSummaryRow } from './run-experiment.js';
export { ingestNotebookFile, NotebookFileError } from './ingest-notebook-file.js';
export { defaultCompetitionsDir, parseBytes, gatewayTargetFromFlags, DEFAULT_GATEWAY_UPLOAD_LIMIT, gatewayFlags, toleranceFlag, type GatewayFlagValues } from './run-flags.js';
