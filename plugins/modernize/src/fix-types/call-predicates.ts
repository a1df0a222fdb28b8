import type { PythonSyntaxNode } from '@mle/core';
import type { RuleCellContext } from './builtin-fix-type.js';
import { CONVENTIONAL_ALIASES } from './import-index.js';

/** Decides whether a rule cares about a call. */
export type CallPredicate = (context: RuleCellContext, call: PythonSyntaxNode) => boolean;

/** The last name of the callee: `fit` in `model.fit(...)`, `Adam` in `optimizers.Adam(...)`. */
export function calleeLastName(call: PythonSyntaxNode): string | null {
  const callee = call.childForFieldName('function');
  if (!callee) return null;
  if (callee.type === 'identifier') return callee.text;
  if (callee.type === 'attribute') return callee.childForFieldName('attribute')?.text ?? null;
  return null;
}

/** Calls whose callee's last name is in the set or matches the pattern. */
export function calleeNamed(names: ReadonlySet<string> | RegExp): CallPredicate {
  return (_context, call) => {
    const name = calleeLastName(call);
    if (name === null) return false;
    return names instanceof RegExp ? names.test(name) : names.has(name);
  };
}

/** The callee's qualified name through the notebook's imports (conventional aliases as fallback). */
export function qualifiedCallee(context: RuleCellContext, call: PythonSyntaxNode): string | null {
  return context.imports.qualify(call.childForFieldName('function'), CONVENTIONAL_ALIASES);
}

/**
 * Calls named as given whose callee resolves into one of the modules, e.g. `Adam` from
 * `keras`/`tensorflow` but not from `torch`. An unresolvable callee is accepted only while
 * repairing an error (the error already says the call is the problem), never in a scan.
 */
export function calleeFrom(names: ReadonlySet<string> | RegExp, modules: readonly string[]): CallPredicate {
  const named = calleeNamed(names);
  return (context, call) => {
    if (!named(context, call)) return false;
    const qualified = qualifiedCallee(context, call);
    if (qualified === null) return context.error !== null;
    return modules.some((module) => qualified === module || qualified.startsWith(`${module}.`));
  };
}

export function anyCall(): CallPredicate {
  return () => true;
}
