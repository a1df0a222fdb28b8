import type { ErrorSignature, FixKind, PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext } from './builtin-fix-type.js';
import type { RuleDocs } from './rule-docs.js';

export interface GuidanceSpec {
  code: string;
  id: string;
  kind?: FixKind;
  description: string;
  /** The one message; `{{code}}` is the offending node's text. */
  message: string;
  errorName?: string;
  signature: RegExp;
  extraSignatures?: readonly ErrorSignature[];
  /** The offending nodes in a cell. */
  find(context: RuleCellContext): PythonSyntaxNode[];
  mentions: string[];
  /** Report only while repairing the rule's error, never in a scan (the code itself is fine). */
  errorOnly?: boolean;
  docs: RuleDocs;
}

/**
 * A catalogue row with no mechanical rewrite (a removed API whose replacement changes data or
 * needs information the code does not hold): the rule finds the offending code and reports
 * guidance, display-only, so that a person or the LLM fixer takes over with a precise pointer.
 */
export function guidanceRule(spec: GuidanceSpec): BuiltinFixType {
  return defineRule({
    meta: {
      id: spec.id,
      code: spec.code,
      kind: spec.kind ?? 'error-repair',
      description: spec.description,
      fixable: 'none',
      safety: 'display-only',
      messages: { guidance: spec.message },
      errorSignatures: [{ name: spec.errorName ?? 'AttributeError', value: spec.signature }, ...(spec.extraSignatures ?? [])],
    },
    docs: spec.docs,
    mentions: spec.mentions,
    findSites: (context) => (spec.errorOnly && !context.error ? [] : spec.find(context)).map((node) => ({ node, messageId: 'guidance', data: { code: node.text }, edits: null })),
    fixTitle: '',
  });
}
