import type { CellEdit, CellSyntax, PythonSyntaxNode } from '@mle/core';

/**
 * Minimal edits on one parsed cell, addressed by syntax node. Every edit covers the smallest
 * range that makes the change (an identifier, an argument and its comma), so that fixes from
 * different rules compose without overlapping.
 */
export class EditBuilder {
  constructor(readonly syntax: CellSyntax) {}

  private edit(start: number, end: number, text: string): CellEdit {
    return { kind: 'replace-range', cellIndex: this.syntax.cellIndex, start, end, text };
  }

  /** The exact source text of a node (tree text comes from the masked cell, equal on unmasked lines). */
  textOf(node: PythonSyntaxNode): string {
    const { start, end } = this.syntax.rangeOf(node);
    return this.syntax.source.slice(start, end);
  }

  replace(node: PythonSyntaxNode, text: string): CellEdit {
    const { start, end } = this.syntax.rangeOf(node);
    return this.edit(start, end, text);
  }

  /** Replace from the start of `first` to the end of `last`. */
  replaceSpan(first: PythonSyntaxNode, last: PythonSyntaxNode, text: string): CellEdit {
    return this.edit(this.syntax.rangeOf(first).start, this.syntax.rangeOf(last).end, text);
  }

  insertBefore(node: PythonSyntaxNode, text: string): CellEdit {
    const { start } = this.syntax.rangeOf(node);
    return this.edit(start, start, text);
  }

  insertAfter(node: PythonSyntaxNode, text: string): CellEdit {
    const { end } = this.syntax.rangeOf(node);
    return this.edit(end, end, text);
  }

  /**
   * Remove one element of a comma-separated list (an argument, an imported name) with one of its
   * commas: the comma before it when there is one (`f(a, b=1)` → `f(a)`), else the one after it
   * and the space up to the next element (`f(b=1, c)` → `f(c)`).
   */
  removeListElement(element: PythonSyntaxNode): CellEdit {
    const previous = element.previousSibling;
    if (previous?.type === ',') {
      const before = previous.previousSibling;
      const start = before ? this.syntax.rangeOf(before).end : this.syntax.rangeOf(previous).start;
      return this.edit(start, this.syntax.rangeOf(element).end, '');
    }
    const next = element.nextSibling;
    if (next?.type === ',') {
      const after = next.nextSibling;
      const end = after && after.type !== ')' ? this.syntax.rangeOf(after).start : this.syntax.rangeOf(next).end;
      return this.edit(this.syntax.rangeOf(element).start, end, '');
    }
    return this.replace(element, '');
  }

  /**
   * Add `text` (`name=value`) as the last argument of a call's argument list. Rules always add
   * arguments here, at the end of the last argument, so that two fixes adding arguments to one
   * call insert at the same point and are caught as overlapping instead of producing a call with
   * the keyword twice.
   */
  appendArgument(argumentList: PythonSyntaxNode, text: string): CellEdit {
    const elements = argumentList.namedChildren.filter((child) => child.type !== 'comment');
    const last = elements[elements.length - 1];
    if (last) return this.insertAfter(last, `, ${text}`);
    const open = argumentList.children[0]!;
    return this.insertAfter(open, text);
  }

  /** Add `text` as the last element of a list literal. */
  appendListElement(list: PythonSyntaxNode, text: string): CellEdit {
    return this.appendArgument(list, text);
  }

  /**
   * Insert a statement (an import) at the top of the cell, after a leading docstring, comments
   * and `from __future__` imports, which must stay first.
   */
  insertStatementAtTop(statement: string): CellEdit {
    let anchor: PythonSyntaxNode | null = null;
    for (const child of this.syntax.root.namedChildren) {
      if (child.type === 'comment' || child.type === 'future_import_statement') continue;
      if (child.type === 'expression_statement' && child.namedChildren[0]?.type === 'string' && anchor === null && child.startIndex === firstStatementStart(this.syntax.root)) continue;
      anchor = child;
      break;
    }
    if (!anchor) {
      const end = this.syntax.source.length;
      const separator = end > 0 && !this.syntax.source.endsWith('\n') ? '\n' : '';
      return this.edit(end, end, `${separator}${statement}\n`);
    }
    const { start } = this.syntax.rangeOf(anchor);
    const lineStart = this.syntax.source.lastIndexOf('\n', start - 1) + 1;
    return this.edit(lineStart, lineStart, `${statement}\n`);
  }
}

function firstStatementStart(root: PythonSyntaxNode): number {
  return root.namedChildren.find((child) => child.type !== 'comment')?.startIndex ?? -1;
}
