export { applyEdits, applyRangeEdits, checkEdits, EditOutOfRangeError, OverlappingEditsError, type RangeEdit } from './apply-edits.js';
export { parseCellSyntax, type OwnedCellSyntax } from './cell-syntax.js';
export { matchesErrorSignature, fixTypesForError, failingLine, stripAnsi } from './error-signature.js';
export { createFailure, FailureContext, type FailureInit } from './failure-context.js';
export { fixAll, type AppliedFix, type FixAllOptions, type FixAllResult, type FixHint } from './fix-all.js';
export { isApplicable, leastSafe, safetyRank } from './fix-safety.js';
export { FixTypeTester, InvalidFixTypeMetaError, validateFixTypeMeta, type ExpectedMatch, type FixTypeTestCases, type InvalidCase, type TestCell, type TestFailure, type ValidCase } from './fix-type-tester.js';
export { formatMessage, MessageTemplateError, placeholdersOf } from './format-message.js';
export { KINDS_FOR_FAILURE, proposeFixes, type FixProposal, type FixTypeFailure, type ProposeOptions } from './propose-fixes.js';
export { sharedPythonParser } from './python-parser.js';
export { builtinFixTypes, DuplicateFixTypeError, fixTypeByCode, fixTypeById } from './fix-types/builtin-fix-types.js';
export type { BuiltinFixType, BuiltinMatchDetails } from './fix-types/builtin-fix-type.js';
export type { RuleDocs } from './fix-types/rule-docs.js';
export { ChatConnectionError, ChatHttpError, ChatTimeoutError, parseRetryAfter, type ChatClient, type ChatMessage, type ChatRequest, type ChatResponse, type ChatUsage } from './chat-client.js';
export { OpenAIChatClient, chatClientFromEnvironment, type OpenAIChatClientOptions } from './openai-chat-client.js';
export { DEFAULT_PRICES, PriceTableError, costUsd, loadPriceTable, priceOf, type ModelPrice, type PriceTable } from './llm-prices.js';
export { ANSWER_SCHEMA, ANSWER_SCHEMA_NAME, parseAnswer, type AnswerContext, type ParsedAnswer } from './llm-answer.js';
export { buildPrompt, cleanTraceback, type Prompt, type PromptCompetition, type PromptHistoryEntry, type PromptInput } from './llm-prompt.js';
export { DEFAULT_LLM_OPTIONS, LlmFixer, type LlmFixerOptions, type LlmProposal } from './llm-fixer.js';
export { normalizeErrorSignature, signatureName, type NormalizeOptions } from './normalize-error.js';
export { diffHunks, refineHunk, type Hunk } from './edit-hunks.js';
export { canonicalPattern, describeRewrite, findPatternSites, generalizeFix, notebookBoundNames, notebookVariableNames, type FixPattern, type GeneralizeResult, type PatternSite, type Rewrite } from './fix-pattern.js';
export { FixCache, cachedFixType, cacheEntrySafety, listFixCache, type CacheEntrySource, type CachedMatchDetails, type FixCacheEntry } from './fix-cache.js';
export { cellDependencies, cellNames, type CellNames } from './python-names.js';
export { environmentFacts, importedPins, normalizeDistribution } from './environment-facts.js';
export { identityOrigins, originsAfter, editedPositions, type CellOrigins } from './cell-origins.js';
export { compareProgress, describeRun, dispatchKind, findRegression, isGoal, observedRun, runProgress, type ObservedRun, type Regression, type RunProgress } from './run-progress.js';
export {
  FIX_OUTCOMES,
  FIX_SOURCES,
  LLM_CALL_STATUSES,
  MODERNIZATION_STATUSES,
  getModernization,
  listFixes,
  listLlmCalls,
  listModernizations,
  llmSpent,
  type AppliedRule,
  type FixOutcome,
  type FixRow,
  type FixSource,
  type Granularity,
  type LlmCallRow,
  type LlmCallStatus,
  type ModernizationRow,
  type ModernizationStatus,
} from './modernize-store.js';
export { DEFAULT_LOOP_OPTIONS, KernelStartError, modernizeNotebook, type FirstDivergence, type LoadedCompetition, type Localizer, type LoopEvent, type LoopOptions, type ModernizeContext, type NotebookModernization, type RulePolicy } from './modernize-notebook.js';
export { modernizeExperiment, summarizeModernizations, type ModernizeExperimentOptions, type ModernizeLlmOptions, type ModernizeSummary, type SourceCounts } from './modernize-experiment.js';
export { formatModernizeSummary } from './format-modernize-summary.js';
