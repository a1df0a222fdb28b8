export { analyzeNotebook, DEFAULT_MAX_NOTEBOOK_BYTES, type AnalyzedNotebook, type AnalyzedCell, type CellImport, type RejectedNotebook, type AnalyzeOptions } from './analyze-notebook.js';
export { DEFAULT_ML_LIBRARIES, mlLibrariesOf } from './ml-libraries.js';
export { capOutputs, DEFAULT_OUTPUT_CAP_BYTES, type TruncatedPayload } from './cap-outputs.js';
export { selfDescribedFacts } from './self-described.js';
