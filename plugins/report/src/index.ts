export { generateReport, writeReport, defaultReportDir, type WriteReportOptions, type WriteReportResult, type GenerateReportOptions } from './write-report.js';
export { loadReportData, type ReportData, type ReportDataOptions, type Headline } from './report-data.js';
export { ExperimentNotFoundError, type ExperimentInfo } from './data/experiments.js';
export { CRASH_RULES, CRASH_FAMILIES, classifyCrash, type CrashFamily, type CrashClass } from './data/crash-families.js';
export { proportion, wilsonInterval, type Proportion } from './stats/wilson-interval.js';
export { mcnemarExact, type McNemarResult } from './stats/mcnemar-test.js';
