import type { ErrorSignature, FixSafety, PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import type { VersionRequirement } from './environment-pins.js';
import type { RuleDocs } from './rule-docs.js';
import { dottedNameOf } from './syntax-helpers.js';

export interface ModuleMove {
  code: string;
  id: string;
  library: string;
  /** `sklearn.cross_validation`. */
  from: string;
  /** `sklearn.model_selection`. */
  to: string;
  removedIn: string;
  safety: Exclude<FixSafety, 'display-only'>;
  /**
   * Names whose API changed in the move (`KFold(n, n_folds=k)` became `KFold(n_splits=k)`); the
   * fix is unsafe when the notebook imports one of them, or mentions one of `unsafeWords`.
   */
  changedNames?: readonly string[];
  unsafeWords?: readonly string[];
  requires?: readonly VersionRequirement[];
  docs: RuleDocs;
}

function splitLast(dotted: string): [string, string] {
  const at = dotted.lastIndexOf('.');
  return [dotted.slice(0, at), dotted.slice(at + 1)];
}

/**
 * A rule for a module that moved: rewrites `from old import x`, `import old as m`, `import old`,
 * `from parent import old` (keeping the local name with `as`), and `old.x` attribute chains.
 */
export function moduleMoveRule(spec: ModuleMove): BuiltinFixType {
  const [fromParent, fromLeaf] = splitLast(spec.from);
  const [toParent, toLeaf] = splitLast(spec.to);
  const signatures: ErrorSignature[] = [
    { name: 'ModuleNotFoundError', value: new RegExp(`No module named '${spec.from.replaceAll('.', '\\.')}'`) },
    { name: 'ImportError', value: new RegExp(`No module named '?${spec.from.replaceAll('.', '\\.')}|cannot import name '${fromLeaf}' from '${fromParent.replaceAll('.', '\\.')}'`) },
  ];
  const safetyFor = (context: RuleCellContext, importedNames: readonly string[]): FixSafety => {
    const changed = importedNames.some((name) => spec.changedNames?.includes(name));
    const mentioned = (spec.unsafeWords ?? []).some((word) => context.failure.notebook.cells.some((cell) => cell.source.includes(word)));
    return changed || mentioned ? 'unsafe' : 'safe';
  };
  return defineRule({
    meta: {
      id: spec.id,
      code: spec.code,
      kind: 'error-repair',
      description: `Import from ${spec.to} instead of ${spec.from} (removed in ${spec.library} ${spec.removedIn}).`,
      fixable: 'always',
      safety: spec.safety,
      messages: { moved: '`{{from}}` was removed in {{library}} {{version}}; its contents moved to `{{to}}`.' },
      errorSignatures: signatures,
    },
    docs: spec.docs,
    requires: spec.requires ?? [],
    mentions: [fromLeaf],
    findSites(context) {
      const sites: RuleSite[] = [];
      const data = { from: spec.from, to: spec.to, library: spec.library, version: spec.removedIn };
      const site = (node: PythonSyntaxNode, edits: RuleSite['edits'], importedNames: readonly string[]) => sites.push({ node, messageId: 'moved', data, edits, safety: safetyFor(context, importedNames) });
      const root = context.syntax.root;
      for (const statement of root.descendantsOfType('import_from_statement')) {
        const module = statement.childForFieldName('module_name');
        const names = statement.childrenForFieldName('name');
        const importedNames = names.map((n) => dottedNameOf(n.type === 'aliased_import' ? n.childForFieldName('name') : n) ?? '');
        const moduleName = dottedNameOf(module);
        if (moduleName === spec.from || moduleName?.startsWith(`${spec.from}.`)) {
          site(statement, [context.edits.replace(module!, spec.to + moduleName.slice(spec.from.length))], importedNames);
        } else if (moduleName === fromParent && importedNames.includes(fromLeaf)) {
          // `from sklearn import cross_validation [as cv]` → `from sklearn import model_selection as cross_validation`.
          const edits = [];
          if (toParent !== fromParent) continue; // a move across packages needs a new statement; none in the catalogue
          for (const name of names) {
            const plain = name.type === 'aliased_import' ? name.childForFieldName('name')! : name;
            if (dottedNameOf(plain) !== fromLeaf) continue;
            edits.push(name.type === 'aliased_import' ? context.edits.replace(plain, toLeaf) : context.edits.replace(name, `${toLeaf} as ${fromLeaf}`));
          }
          site(statement, edits, []);
        }
      }
      for (const statement of root.descendantsOfType('import_statement')) {
        for (const name of statement.childrenForFieldName('name')) {
          const plain = name.type === 'aliased_import' ? name.childForFieldName('name')! : name;
          const dotted = dottedNameOf(plain);
          if (dotted === spec.from || dotted?.startsWith(`${spec.from}.`)) site(statement, [context.edits.replace(plain, spec.to + dotted.slice(spec.from.length))], []);
        }
      }
      // `sklearn.cross_validation.train_test_split(...)` after a plain `import sklearn.cross_validation`.
      for (const node of root.descendantsOfType('attribute')) {
        if (dottedNameOf(node) !== spec.from || node.parent?.type === 'dotted_name') continue;
        site(node, [context.edits.replace(node, spec.to)], []);
      }
      return sites;
    },
    fixTitle: 'Import from {{to}} instead of {{from}}',
  });
}
