import type { BuiltinFixType } from './builtin-fix-type.js';

const FIXABLE_SENTENCE = { always: 'Fix is always available.', sometimes: 'Fix is sometimes available.', none: 'No fix: the rule reports guidance (display-only).' } as const;

function code(block: string): string {
  return `\`\`\`python\n${block.replace(/\n+$/, '')}\n\`\`\``;
}

/** The file name of a rule's docs page: `BC024-pandas-dataframe-append.md`. */
export function docsFileName(rule: BuiltinFixType): string {
  return `${rule.meta.code}-${rule.meta.id}.md`;
}

/**
 * A rule's documentation page, generated from its meta and its docs text with ruff's headings
 * (What it does, Why is this bad?, Example / Use instead:, Known problems, Fix safety, References),
 * plus its messages and the errors it answers, so that a page never disagrees with its rule.
 */
export function renderRuleDocs(rule: BuiltinFixType): string {
  const { meta, docs } = rule;
  const lines: string[] = [
    `# ${meta.id} (${meta.code})`,
    '',
    '<!-- Generated from the rule in plugins/modernize/src/fix-types by `node plugins/modernize/scripts/write-docs.mjs`; edit the rule, not this page. -->',
    '',
    `${FIXABLE_SENTENCE[meta.fixable]} Safety: ${meta.safety}. Kind: ${meta.kind}.`,
    '',
    meta.description,
    '',
    '## What it does',
    '',
    docs.whatItDoes,
    '',
    '## Why is this bad?',
    '',
    docs.why,
    '',
    '## Example',
    '',
    ...(docs.exampleNotebookDate ? [`In a notebook published on ${docs.exampleNotebookDate}:`, ''] : []),
    code(docs.example),
    '',
    'Use instead:',
    '',
    code(docs.useInstead),
    '',
  ];
  if (docs.knownProblems) lines.push('## Known problems', '', docs.knownProblems, '');
  lines.push('## Fix safety', '', docs.fixSafety, '');
  if (rule.requires.length > 0) lines.push(`The fix needs ${rule.requires.map((r) => `${r.distribution} ≥ ${r.version}`).join(', ')}; it declines in an environment pinned below.`, '');
  lines.push('## Messages', '', ...Object.entries(meta.messages).map(([id, text]) => `- \`${id}\`: ${text}`), '');
  if (meta.errorSignatures?.length) {
    lines.push('## Errors it answers', '', ...meta.errorSignatures.map((s) => `- \`${s.name}\`${s.value ? `: \`/${s.value.source}/\`` : ''}`), '');
  } else {
    lines.push('## Errors it answers', '', 'None: the rule matches proactively (a scan), before anything fails.', '');
  }
  lines.push('## References', '', ...docs.references.map((r) => `- [${r.title}](${r.url})`), '');
  return lines.join('\n');
}
