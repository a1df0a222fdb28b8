import path from 'node:path';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for an HTML text node or a double- or single-quoted attribute value. Escaping quotes in
 * text too costs nothing and lets one function serve both contexts, so no call site has to pick.
 * Every string in the report that did not come from a literal in this package goes through here.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** An attribute value, always emitted double-quoted. */
export function attribute(name: string, value: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`not a safe attribute name: ${name}`);
  return `${name}="${escapeHtml(value)}"`;
}

/**
 * JSON for the inside of a <script> element. JSON.stringify leaves `<`, `>`, `&` and the line
 * separators U+2028/U+2029 as they are; `</script>` or `<!--` would then end or confuse the
 * element. As \uXXXX escapes they are the same JSON value and no longer markup.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A link from the report directory to a file, as a relative URL. Built only from file-system
 * paths, segment by segment through encodeURIComponent: a path spelled `javascript:alert(1)`
 * becomes `./javascript%3Aalert(1)`, a relative file name, never a scheme. Absolute paths that
 * cannot be expressed relative to the report (another drive) give null: no link at all.
 */
export function relativeFileHref(fromDir: string, target: string): string | null {
  const relative = path.relative(fromDir, target);
  if (relative === '' || path.isAbsolute(relative)) return null;
  const encoded = relative.split(path.sep).map((segment) => (segment === '..' ? '..' : encodeURIComponent(segment)));
  const href = encoded.join('/');
  return href.startsWith('../') ? href : `./${href}`;
}
