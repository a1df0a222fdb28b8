import { Query, type Language } from 'web-tree-sitter';

/**
 * One tree-sitter query finds every candidate in a cell in a single wasm call; the pattern index
 * says what each match is. Calls are matched by the shape of their callee only: the callee's name
 * is read from the cell text at the capture's start offset (free: offsets come with the match),
 * so uninteresting calls cost no further crossing into wasm.
 */
export const FEEDBACK_QUERY_SOURCE = `
(assert_statement) @assert
(call function: (identifier) @name) @call
(call function: (attribute attribute: (identifier) @method) @callee) @call
(print_statement) @print
(exec_statement) @exec
(if_statement condition: (_) @cond consequence: (block (raise_statement) @raise))
(elif_clause condition: (_) @cond consequence: (block (raise_statement) @raise))
(assert_statement . (tuple) @tuple)
((expression_statement (identifier) @bare) (#eq? @bare "print"))
`;

/** Pattern indexes of FEEDBACK_QUERY_SOURCE, in order. */
export const FeedbackPattern = {
  Assert: 0,
  NameCall: 1,
  MethodCall: 2,
  PrintStatement: 3,
  ExecStatement: 4,
  IfGuard: 5,
  ElifGuard: 6,
  TupleAssert: 7,
  BarePrint: 8,
} as const;

const queries = new WeakMap<Language, Query>();

/** The compiled query for a language, compiled once per thread. */
export function feedbackQuery(language: Language): Query {
  let query = queries.get(language);
  if (!query) {
    query = new Query(language, FEEDBACK_QUERY_SOURCE);
    queries.set(language, query);
  }
  return query;
}
