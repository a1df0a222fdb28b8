import type { PythonSyntaxNode } from '@mle/core';
import type { RuleCellContext } from './builtin-fix-type.js';
import { acceptsReceiver, type ReceiverPolicy } from './receiver-policy.js';
import { isBindingName } from './syntax-helpers.js';

/**
 * Attribute nodes `<alias>.<name>` where the alias is bound to `module` (`pd.Int64Index`,
 * `np.float`); `conventional` is the alias assumed when the notebook never imports the module.
 */
export function moduleMembers(context: RuleCellContext, module: string, conventional: string | undefined, names: readonly string[]): PythonSyntaxNode[] {
  const aliases = context.imports.aliasesOf(module, conventional);
  return context.syntax.root.descendantsOfType('attribute').filter((node) => {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    return object?.type === 'identifier' && aliases.includes(object.text) && attribute !== null && names.includes(attribute.text) && !isBindingName(node);
  });
}

/** Attribute nodes `<receiver>.<name>` whose receiver the policy accepts. */
export function methodAttributes(context: RuleCellContext, names: readonly string[], policy: ReceiverPolicy): PythonSyntaxNode[] {
  return context.syntax.root.descendantsOfType('attribute').filter((node) => {
    const attribute = node.childForFieldName('attribute');
    return attribute !== null && names.includes(attribute.text) && !isBindingName(node) && acceptsReceiver(context, node.childForFieldName('object'), node, policy);
  });
}
