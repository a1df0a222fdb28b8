import type { FixTypeMeta, MatchSite } from '@mle/core';

/** A messageId that the rule's meta does not define, or data that leaves a placeholder empty. */
export class MessageTemplateError extends Error {
  override name = 'MessageTemplateError';
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;

/** The placeholders a message template uses, in order of first appearance. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Fill a site's message template (ESLint's `{{name}}` interpolation); throws on a missing id or value. */
export function formatMessage(meta: FixTypeMeta, site: Pick<MatchSite, 'messageId' | 'data'>): string {
  const template = meta.messages[site.messageId];
  if (template === undefined) throw new MessageTemplateError(`${meta.id}: no message with id '${site.messageId}'`);
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = site.data[name];
    if (value === undefined) throw new MessageTemplateError(`${meta.id}: message '${site.messageId}' needs data '${name}'`);
    return value;
  });
}
