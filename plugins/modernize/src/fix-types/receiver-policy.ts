import type { PythonSyntaxNode } from '@mle/core';
import type { RuleCellContext } from './builtin-fix-type.js';
import { missingName } from './error-values.js';
import { isPandas, PANDAS_OWNER_TYPES, pandasNamesOf } from './pandas-objects.js';
import { dottedNameOf, lineOf } from './syntax-helpers.js';

/**
 * Which receivers a method rule accepts: `pandas` — objects inferred to be pandas, or (when
 * repairing an error that names a pandas type) any receiver not known to be a list or dict on the
 * line the traceback points at; `any` — every receiver not known to be a list or dict, for method
 * names no other common library uses (`as_matrix`, `applymap`).
 */
export type ReceiverPolicy = 'pandas' | 'any';

export function acceptsReceiver(context: RuleCellContext, receiver: PythonSyntaxNode | null, site: PythonSyntaxNode, policy: ReceiverPolicy): boolean {
  // `sm.robust.mad(x)`: a receiver rooted in an imported name is a module or class, not a pandas object.
  const head = dottedNameOf(receiver)?.split('.')[0];
  if (head !== undefined && context.imports.binding(head) !== null) return false;
  const kind = pandasNamesOf(context.failure).kindOf(receiver);
  if (kind === 'list' || kind === 'dict') return false;
  if (policy === 'any' || isPandas(kind)) return true;
  if (!context.error) return false;
  const missing = missingName(context.error.value);
  if (!missing || missing.kind !== 'object' || !PANDAS_OWNER_TYPES.has(missing.owner)) return false;
  return context.errorLine === null || context.errorLine === lineOf(site);
}
