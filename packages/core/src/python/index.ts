export { maskMagics, type MaskedLine, type MaskedSource } from './mask-magics.js';
export { PythonParser, dottedName, type ParsedCell, type ParseStatus, type SyntaxNode, type SyntaxTree } from './parser.js';
export { importsOf, extractImports, mayContainImports, type ImportRecord } from './imports.js';
