export { scanFeedback, type ScanFeedbackOptions, type ScanFeedbackSummary } from './scan-feedback.js';
export { analyzeFiles, notebookPaths, type AnalyzeFilesOptions, type AnalyzeFilesSummary } from './file-feedback.js';
export { toFileResult, analyzeFile, type FeedbackLine, type FileFeedbackResult } from './feedback-line.js';
export { createFeedbackPool, NOTEBOOKS_PER_TASK, type FeedbackPool, type FeedbackPoolOptions } from './feedback-pool.js';
export { formatFeedbackStats, formatScanSummary } from './format-feedback.js';
