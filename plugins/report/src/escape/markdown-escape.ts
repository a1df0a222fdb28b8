/*
 * summary.md is read raw in a terminal and rendered on a forge, so it escapes what Markdown needs
 * and nothing more. Three kinds of text reach it:
 * - prose this package writes (section intros, highlights, notes, titles): Markdown is meant
 *   (code spans in backticks), only what could become HTML or a link is neutralised, since
 *   experiment names and other data are interpolated into it;
 * - literal text in tables (experiment names, statuses, numbers): shown as written, so Markdown
 *   syntax is backslash-escaped and the cell kept on one row;
 * - text that came from notebooks (code, error messages, paths, tool output): literal, and in
 *   addition every `<`, `>` and `&` becomes an entity, so no renderer can take it for markup.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Line and paragraph separators: each would end a table row or a list item. */
const LINE_BREAKS = /\r\n|\r|\n|\u2028|\u2029/g;

/**
 * `<` where CommonMark would start raw HTML or an autolink (a tag, a closing tag, a comment, a
 * declaration, a processing instruction, `<scheme:...>`: a letter, `/`, `!` or `?` follows), and
 * `&` where it would start a character reference. Elsewhere (`p < 0.001`, `R&D`) they are text.
 */
function neutraliseHtml(text: string): string {
  return text.replace(/&(?=#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)/g, '&amp;').replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

/**
 * Block markers act only at the start of a line and only in their exact form: a heading (`#` to
 * `######` then a space), a quote, a list item (`-`, `+`, `*`, `1.` or `1)` then a space) or a
 * thematic break (`---`, `***`). "50.0% of ..." and "-1.5 s" are left alone.
 */
function escapeLineStart(text: string): string {
  return text.replace(/^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=[\s\-*_]|$)|\d{1,9}[.)](?=\s|$))/, (_, space: string, marker: string) => `${space}${marker.replace(/[#>+\-*.)]/, (c) => `\\${c}`)}`);
}

/**
 * Prose written by this package, with data interpolated. Code spans and other Markdown it was
 * written with stay; raw HTML, links and images (square brackets: the prose never uses them,
 * formatProportion avoids them too) and line-start block markers are neutralised.
 */
export function markdownProse(text: string): string {
  return escapeLineStart(neutraliseHtml(text.replace(LINE_BREAKS, ' ')).replace(/[[\]]/g, (c) => `\\${c}`));
}

function literal(text: string, entities: boolean): string {
  const oneLine = text.replace(LINE_BREAKS, ' ');
  return (entities ? oneLine.replace(/[&<>]/g, (c) => ENTITIES[c]!) : neutraliseHtml(oneLine))
    .replace(/[\\`*~[\]|]/g, (c) => `\\${c}`)
    .replace(/_/g, (c, offset: number, whole: string) => (/[\p{L}\p{N}]/u.test(whole[offset - 1] ?? '') && /[\p{L}\p{N}]/u.test(whole[offset + 1] ?? '') ? c : `\\${c}`));
}

/**
 * Literal text for a table cell, a header or an image's alt text (no block context: line-start
 * markers do nothing there): backslash, backtick, `*`, `~`, square brackets and the table pipe
 * are escaped; `_` only where it could open or close emphasis (between two letters or digits it
 * cannot, so `last_cell` stays readable in a terminal).
 */
export function markdownLiteral(text: string): string {
  return literal(text, false);
}

/**
 * Text that came from a notebook (or a tool run on one), for a table cell: literal, and every
 * `<`, `>` and `&` an entity, so a `<script>` in an error message is shown, never rendered.
 */
export function markdownNotebookText(text: string): string {
  return literal(text, true);
}
