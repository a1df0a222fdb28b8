export { scanFeedback, type ScanFeedbackOptions, type ScanFeedbackSummary } from './scan-feedback.js';
export { analyzeFiles, notebookPaths, type AnalyzeFilesOptions, type AnalyzeFilesSummary } from './file-feedback.js';
export { toFileResult, analyzeFile, type FeedbackLine, type FileFeedbackResult } from './feedback-line.js';
export { createFeedbackPool, NOTEBOOKS_PER_TASK, type FeedbackPool, type FeedbackPoolOptions } from './feedback-pool.js';
export { formatFeedbackStats, formatScanSummary } from './format-feedback.js';
export { proposeAssertions, readValue, METRIC_MIN_REL_TOLERANCE, FLOAT_NOISE, type AssertionProposal, type SkippedOutput, type NotebookProposals, type ProposalCell, type Extraction, type ValueReader } from './synthesize/propose-assertions.js';
export { assertionCode, pyLiteral, ASSERTION_KINDS, type AssertionKind } from './synthesize/assertion-code.js';
export { printTemplate, type PrintTemplate, type PrintHole } from './synthesize/print-template.js';
export { unseededRandomness } from './synthesize/unseeded-randomness.js';
export { unsafeExpressionReason } from './synthesize/expression-safety.js';
export {
  SYNTHESIZER_VERSION,
  hasSynthesis,
  recordProposals,
  assertionsOf,
  recordValidations,
  synthesizedNotebooks,
  explicitByCategory,
  type StoredAssertion,
  type ValidationOutcome,
  type ValidationRecord,
} from './synthesize/assertion-store.js';
export { synthesizeNotebooks, type SynthesizeOptions, type SynthesizeSummary } from './synthesize/synthesize-notebooks.js';
export { instrumentNotebook, guardedAssertion, insertAfterLines, readMarkers, type InsertedAssertion } from './validate/instrument-notebook.js';
export { validateNotebookAssertions, type ValidateOptions, type NotebookValidation } from './validate/validate-assertions.js';
export { datedKernelFor } from './validate/dated-kernel.js';
export { firstDivergence, observedValueOf, checkAssertion, type Divergence, type OracleVerdict, type FirstDivergenceOptions } from './oracle/first-divergence.js';
export { notebookDivergence, outputsLocalizer, recordDivergence, divergenceOf, outputsOracle, type StoredDivergence } from './oracle/outputs-oracle.js';
export { exportPytest } from './export/export-pytest.js';
export { validateNotebooks, type ValidateNotebooksOptions } from './validate/validate-notebooks.js';
