import type { ErrorSignature, FixSafety, PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import type { CallPredicate } from './call-predicates.js';
import type { VersionRequirement } from './environment-pins.js';
import type { RuleDocs } from './rule-docs.js';
import { callArguments, keywordValue, stringLiteral, type StringLiteral } from './syntax-helpers.js';

export interface ArgumentValueRename {
  code: string;
  id: string;
  library: string;
  keyword: string;
  /** The removed string values this rule looks for. */
  oldValues: readonly string[];
  /**
   * The replacement for an old value in a given call: a new string value, an expression that
   * replaces the whole literal (`{ expression: '1.0' }`), or null when it cannot be known (then the
   * site is reported without a fix). `call` is the estimator call, or null for a grid nobody owns.
   */
  replacement(context: RuleCellContext, call: PythonSyntaxNode | null, old: string): string | { expression: string } | null;
  calls: CallPredicate;
  callDescription: string;
  /** Also look in dict literals (`{'criterion': ['mse', 'mae']}`), as grid searches pass them. */
  paramGrids: boolean;
  removedIn: string;
  safety: Exclude<FixSafety, 'display-only'>;
  requires?: readonly VersionRequirement[];
  errorSignatures: readonly ErrorSignature[];
  docs: RuleDocs;
}

/** String literals directly in `node`, or in a list/tuple literal `node` (grids list candidate values). */
function literalsIn(node: PythonSyntaxNode | null): StringLiteral[] {
  if (!node) return [];
  const direct = stringLiteral(node);
  if (direct) return [direct];
  if (node.type === 'list' || node.type === 'tuple') return node.namedChildren.map((child) => stringLiteral(child)).filter((s): s is StringLiteral => s !== null);
  return [];
}

/**
 * The estimator a parameter grid is for, when the grid literal is written inside the search call:
 * `GridSearchCV(RandomForestClassifier(), {'max_features': [...]})` → the `RandomForestClassifier()` call.
 */
function gridOwner(pair: PythonSyntaxNode): PythonSyntaxNode | null {
  const grid = pair.parent;
  const argumentList = grid?.parent?.type === 'keyword_argument' ? grid.parent.parent : grid?.parent;
  if (grid?.type !== 'dictionary' || argumentList?.type !== 'argument_list') return null;
  const estimator = argumentList.namedChildren.find((child) => child.type !== 'comment') ?? null;
  return estimator?.type === 'call' ? estimator : null;
}

/** A rule that replaces a removed string value of one keyword argument (`criterion='mse'`). */
export function argumentValueRule(spec: ArgumentValueRename): BuiltinFixType {
  return defineRule({
    meta: {
      id: spec.id,
      code: spec.code,
      kind: 'error-repair',
      description: `Replace ${spec.keyword}=${spec.oldValues.map((v) => `'${v}'`).join(' / ')} in ${spec.callDescription} (removed in ${spec.library} ${spec.removedIn}).`,
      fixable: 'sometimes',
      safety: spec.safety,
      messages: {
        renamed: "`{{keyword}}='{{value}}'` was removed in {{library}} {{version}}; use `{{replacement}}`.",
        unknownEstimator: "`{{keyword}}='{{value}}'` was removed in {{library}} {{version}}; its replacement depends on the estimator, which the rule cannot see here.",
      },
      errorSignatures: spec.errorSignatures,
    },
    docs: spec.docs,
    requires: spec.requires ?? [],
    mentions: [spec.keyword],
    findSites(context) {
      const sites: RuleSite[] = [];
      const report = (literal: StringLiteral, call: PythonSyntaxNode | null) => {
        if (!spec.oldValues.includes(literal.value)) return;
        const replacement = spec.replacement(context, call, literal.value);
        const shown = replacement === null ? '' : typeof replacement === 'string' ? `'${replacement}'` : replacement.expression;
        const data = { keyword: spec.keyword, value: literal.value, replacement: shown, library: spec.library, version: spec.removedIn };
        if (replacement === null) {
          sites.push({ node: literal.node, messageId: 'unknownEstimator', data, edits: null });
          return;
        }
        // A string replacement changes only the text between the quotes, keeping the author's quotes.
        const edit = typeof replacement !== 'string'
          ? context.edits.replace(literal.node, replacement.expression)
          : literal.content ? context.edits.replace(literal.content, replacement) : context.edits.insertAfter(literal.node.children[0]!, replacement);
        sites.push({ node: literal.node, messageId: 'renamed', data, edits: [edit] });
      };
      for (const call of context.syntax.root.descendantsOfType('call')) {
        const args = callArguments(call);
        const argument = args?.keywords.get(spec.keyword);
        if (!argument || !spec.calls(context, call)) continue;
        for (const literal of literalsIn(keywordValue(argument))) report(literal, call);
      }
      if (spec.paramGrids) {
        for (const pair of context.syntax.root.descendantsOfType('pair')) {
          const owner = gridOwner(pair);
          const key = stringLiteral(pair.childForFieldName('key'));
          // Pipelines prefix parameters with the step name: `rf__criterion`.
          if (!key || (key.value !== spec.keyword && !key.value.endsWith(`__${spec.keyword}`))) continue;
          for (const literal of literalsIn(pair.childForFieldName('value'))) report(literal, owner);
        }
      }
      return sites;
    },
    fixTitle: "Replace {{keyword}}='{{value}}' with {{replacement}}",
  });
}

