import { PythonParser } from '@mle/core';

let shared: Promise<PythonParser> | undefined;

/**
 * One parser per thread, created on first use and kept for the life of the process: parsers are
 * cheap to keep and slow to create (the grammar is compiled wasm), and every failure needs one.
 */
export function sharedPythonParser(): Promise<PythonParser> {
  shared ??= PythonParser.create();
  return shared;
}
