import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import { maskMagics, type MaskedSource } from './mask-magics.js';

export type { Node as SyntaxNode, Tree as SyntaxTree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let pythonLanguage: Promise<Language> | undefined;

/** Load tree-sitter's runtime and the Python grammar once per thread. */
function loadPython(): Promise<Language> {
  pythonLanguage ??= (async () => {
    await Parser.init();
    return Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  })();
  return pythonLanguage;
}

export type ParseStatus = 'ok' | 'partial' | 'not-python';

export interface ParsedCell {
  /** The cell after masking IPython syntax; the tree's offsets refer to this text. */
  masked: MaskedSource;
  tree: Tree;
  /** `ok`: no syntax errors; `partial`: errors, analysed where the tree is intact; `not-python`: foreign cell magic. */
  status: ParseStatus;
}

/**
 * Python source parser on tree-sitter's error-tolerant grammar (which also reads Python 2).
 * One instance per thread; call `delete()` when done, since trees live in wasm memory.
 */
export class PythonParser {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<PythonParser> {
    const language = await loadPython();
    const parser = new Parser();
    parser.setLanguage(language);
    return new PythonParser(parser);
  }

  /** Parse plain Python text (no magic masking). The caller must `delete()` the tree. */
  parseCode(code: string): Tree {
    const tree = this.parser.parse(code);
    if (!tree) throw new Error('tree-sitter returned no tree (parser reset or cancelled)');
    return tree;
  }

  /** Mask IPython syntax, then parse. The caller must `delete()` the returned tree. */
  parseCell(source: string): ParsedCell {
    const masked = maskMagics(source);
    const tree = this.parseCode(masked.code);
    const status: ParseStatus = masked.foreignCell !== null ? 'not-python' : tree.rootNode.hasError ? 'partial' : 'ok';
    return { masked, tree, status };
  }

  delete(): void {
    this.parser.delete();
  }
}

/** The dotted name of an expression such as `np.testing.assert_allclose` (null when not a plain chain). */
export function dottedName(node: Node | null): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute');
    return object && attribute ? `${object}.${attribute.text}` : null;
  }
  if (node.type === 'dotted_name') return node.text;
  return null;
}
