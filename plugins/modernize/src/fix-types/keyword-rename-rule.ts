import type { ErrorSignature, FixSafety } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleSite } from './builtin-fix-type.js';
import type { CallPredicate } from './call-predicates.js';
import { calleeLastName } from './call-predicates.js';
import type { VersionRequirement } from './environment-pins.js';
import { escapeRegExp } from './error-values.js';
import type { RuleDocs } from './rule-docs.js';
import { callArguments } from './syntax-helpers.js';

export interface KeywordRename {
  code: string;
  id: string;
  library: string;
  /** Old keyword → new keyword. */
  renames: Readonly<Record<string, string>>;
  /** Which calls take the keyword (the keyword alone is often too common: `lr`, `sparse`). */
  calls: CallPredicate;
  /** How the calls are described in messages and docs (`OneHotEncoder()`). */
  callDescription: string;
  removedIn: string;
  safety: Exclude<FixSafety, 'display-only'>;
  requires?: readonly VersionRequirement[];
  /** Beyond `TypeError: ... unexpected keyword argument '<old>'`. */
  extraSignatures?: readonly ErrorSignature[];
  docs: RuleDocs;
}

/** A rule that renames a keyword argument in the calls that no longer accept it. */
export function keywordRenameRule(spec: KeywordRename): BuiltinFixType {
  const olds = Object.keys(spec.renames);
  const pattern = olds.map(escapeRegExp).join('|');
  return defineRule({
    meta: {
      id: spec.id,
      code: spec.code,
      kind: 'error-repair',
      description: `Rename the ${olds.map((o) => `${o}=`).join(', ')} argument of ${spec.callDescription} (removed in ${spec.library} ${spec.removedIn}) to ${olds.map((o) => `${spec.renames[o]}=`).join(', ')}.`,
      fixable: 'sometimes',
      safety: spec.safety,
      messages: {
        renamed: '`{{call}}({{keyword}}=...)`: the argument was renamed to `{{replacement}}` ({{library}} {{version}}).',
        duplicate: '`{{call}}` passes both `{{keyword}}=` and `{{replacement}}=`; remove `{{keyword}}=` by hand.',
      },
      errorSignatures: [{ name: 'TypeError', value: new RegExp(`unexpected keyword argument '(?:${pattern})'`) }, ...(spec.extraSignatures ?? [])],
    },
    docs: spec.docs,
    requires: spec.requires ?? [],
    mentions: olds,
    findSites(context) {
      const sites: RuleSite[] = [];
      for (const call of context.syntax.root.descendantsOfType('call')) {
        const args = callArguments(call);
        if (!args || !olds.some((old) => args.keywords.has(old)) || !spec.calls(context, call)) continue;
        for (const old of olds) {
          const argument = args.keywords.get(old);
          if (!argument) continue;
          const replacement = spec.renames[old]!;
          const data = { call: calleeLastName(call) ?? 'call', keyword: old, replacement, library: spec.library, version: spec.removedIn };
          if (args.keywords.has(replacement)) {
            sites.push({ node: argument, messageId: 'duplicate', data, edits: null });
            continue;
          }
          sites.push({ node: argument, messageId: 'renamed', data, edits: [context.edits.replace(argument.childForFieldName('name')!, replacement)] });
        }
      }
      return sites;
    },
    fixTitle: 'Rename {{keyword}}= to {{replacement}}=',
  });
}
