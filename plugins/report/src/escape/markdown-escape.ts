const MARKDOWN_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Text for a Markdown table cell or an inline span of a paragraph. HTML-significant characters
 * become entities (Markdown renderers pass raw HTML through, so `<script>` in an error message
 * would be live); the pipe would end the cell; backslash, backtick, `*`, `_`, `~` and square
 * brackets are backslash-escaped so that notebook text cannot open code spans, emphasis, links or
 * images (`[x](javascript:...)`, `![](...)` need the bracket). Block markers (`#`, `-`, `+`, `>`)
 * only act at a line start, so they are escaped there. Line breaks would end a table row and so
 * become spaces. The set is kept small because summary.md is also read raw in a terminal.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ')
    .replace(/[\\`*_~[\]|]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+-])/, '$1\\$2')
    .replace(/[&<>]/g, (c) => MARKDOWN_ESCAPES[c]!);
}
