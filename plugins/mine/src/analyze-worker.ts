import { analyzeNotebook, PythonParser, type AnalyzeOptions, type AnalyzedNotebook, type RejectedNotebook } from '@mle/core';

/** One parser per worker thread: the grammar loads once, trees are freed after each cell. */
const parser = await PythonParser.create();

export interface AnalyzeTask {
  text: string;
  options: AnalyzeOptions;
}

export default function analyze(task: AnalyzeTask): AnalyzedNotebook | RejectedNotebook {
  return analyzeNotebook(task.text, parser, task.options);
}
