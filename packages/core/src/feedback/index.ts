export * from './feedback-instance.js';
export { FeedbackAnalyzer, type AnalyzeCellInput, type FeedbackAnalyzerOptions } from './feedback-analyzer.js';
export { CATEGORY_RULES, classifyFeedback, matchingRules, type CategoryRule, type CategoryLabel, type ClassifyInput, type RuleMatcher } from './category-rules.js';
export { codeFeatures, identifierParts, type CodeFeatures } from './code-features.js';
export { resolveAssertLibrary, importAliases, type AssertLibrary } from './assert-library.js';
export { mayContainFeedback } from './feedback-prefilter.js';
export { lastStatementStart, endsWithSemicolon, type LastStatementStart } from './last-statement.js';
export { analyzeNotebookFeedback, analyzeNotebookText, executeResultText, isStudyMlNotebook, type FeedbackCellInput, type NotebookFeedback, type NotebookTextFeedback } from './notebook-feedback.js';
export {
  FEEDBACK_ANALYZER_VERSION,
  notebooksToScan,
  feedbackCellsOf,
  recordFeedbackScan,
  feedbackOf,
  feedbackStats,
  type StoredFeedback,
  type FeedbackStats,
  type FeedbackStatsOptions,
  type MechanismStats,
  type CategoryStats,
} from './feedback-store.js';
export {
  parseNumber as parsePrintedNumber,
  parseLiteral,
  parseArray,
  parseSeriesText,
  parseFrameHtml,
  parseOutputValue,
  printedHalfUnit,
  hasFloat,
  compareValues,
  describeValue,
  type ObservedValue,
  type ValueTolerance,
} from './output-values.js';
export { unstableTextReason, unstableExpressionReason, isObjectRepr, normalizeOutputText, type NormalizeOptions } from './output-sanitize.js';
export { matchTemplate, isValueText, stdoutText, executeResultOf, MAX_TEMPLATE_TEXT, type TemplatePart } from './output-template.js';
export { explicitChecksByCategory, latestSynthesizerVersion, type ExplicitByCategory } from './synthesized-assertions.js';
