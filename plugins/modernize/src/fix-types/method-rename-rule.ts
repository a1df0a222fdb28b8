import type { ErrorSignature, FixKind, FixSafety } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleSite } from './builtin-fix-type.js';
import type { VersionRequirement } from './environment-pins.js';
import { missingName } from './error-values.js';
import { acceptsReceiver, type ReceiverPolicy } from './receiver-policy.js';
import { callOf, isBindingName } from './syntax-helpers.js';
import type { RuleDocs } from './rule-docs.js';

export interface MethodRename {
  code: string;
  id: string;
  /** Library the method belongs to, for messages (`pandas`). */
  library: string;
  /** Old method or attribute name → new name (`iteritems` → `items`). */
  renames: Readonly<Record<string, string>>;
  /** `call`: only `x.old(...)`; `attribute`: only `x.old` not called (a property). */
  form: 'call' | 'attribute';
  receiver: ReceiverPolicy;
  /** Types an AttributeError names as the owner (`DataFrame`, `CountVectorizer`); null = any type. */
  owners: readonly string[] | null;
  removedIn: string;
  deprecatedIn?: string;
  safety: Exclude<FixSafety, 'display-only'>;
  kind?: FixKind;
  requires?: readonly VersionRequirement[];
  /** Extra signatures beyond `'<owner>' object has no attribute '<old>'`. */
  extraSignatures?: readonly ErrorSignature[];
  docs: RuleDocs;
}

/** A rule that renames a removed method or property, touching only the attribute name. */
export function methodRenameRule(spec: MethodRename): BuiltinFixType {
  const olds = Object.keys(spec.renames);
  const list = olds.map((old) => `.${old}${spec.form === 'call' ? '()' : ''}`).join(', ');
  return defineRule({
    meta: {
      id: spec.id,
      code: spec.code,
      kind: spec.kind ?? 'error-repair',
      description: `Rename ${list} (removed in ${spec.library} ${spec.removedIn}) to ${olds.map((old) => `.${spec.renames[old]}${spec.form === 'call' ? '()' : ''}`).join(', ')}.`,
      fixable: 'always',
      safety: spec.safety,
      messages: { removed: '`.{{name}}` was removed in {{library}} {{version}}; use `.{{replacement}}`.' },
      errorSignatures: [
        { name: 'AttributeError', value: new RegExp(`object has no attribute '(?:${olds.join('|')})'`) },
        ...(spec.extraSignatures ?? []),
      ],
    },
    docs: spec.docs,
    requires: spec.requires ?? [],
    acceptsError(error) {
      const missing = missingName(error.value);
      if (!missing) return (spec.extraSignatures ?? []).some((s) => s.name === error.name && (!s.value || s.value.test(error.value)));
      return missing.kind === 'object' && olds.includes(missing.name) && (spec.owners === null || spec.owners.includes(missing.owner));
    },
    mentions: olds,
    findSites(context) {
      const sites: RuleSite[] = [];
      for (const node of context.syntax.root.descendantsOfType('attribute')) {
        const attribute = node.childForFieldName('attribute');
        if (!attribute || !Object.hasOwn(spec.renames, attribute.text) || isBindingName(node)) continue;
        const called = callOf(node) !== null;
        if ((spec.form === 'call') !== called) continue;
        if (!acceptsReceiver(context, node.childForFieldName('object'), node, spec.receiver)) continue;
        const replacement = spec.renames[attribute.text]!;
        sites.push({
          node,
          messageId: 'removed',
          data: { name: attribute.text, replacement, library: spec.library, version: spec.removedIn },
          edits: [context.edits.replace(attribute, replacement)],
        });
      }
      return sites;
    },
    fixTitle: 'Rename .{{name}} to .{{replacement}}',
  });
}
