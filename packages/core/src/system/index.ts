export { runTool, type ToolOutput } from './run-tool.js';
export { findPythonInterpreters, type PythonInterpreter } from './interpreters.js';
export { toolsDir, toolPath } from './tools.js';
