/**
 * The page's stylesheet, including the rules vega-embed and vega-tooltip would otherwise inject
 * as <style> elements (forbidden by the page's policy, which allows only this block by hash).
 */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5c5c5c; --line: #d9d9d9; --accent: #2b5d9c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
header, main { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 1px solid var(--line); }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.provenance, p.note, figcaption { color: var(--muted); font-size: 13px; }
p.empty { padding: 10px 14px; background: #f6f6f6; border-left: 3px solid #bbb; }
nav ol { columns: 3; padding-left: 20px; margin: 8px 0 16px; }
ul.highlights li { margin: 2px 0; }
figure { margin: 16px 0 24px; overflow-x: auto; }
.chart { min-height: 40px; }
.table-wrap { overflow-x: auto; max-height: 640px; overflow-y: auto; border: 1px solid var(--line); margin-bottom: 6px; }
table { border-collapse: collapse; font-size: 13px; width: max-content; min-width: 100%; }
caption { text-align: left; font-weight: 600; padding: 6px 8px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td code, td.code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-word; max-width: 520px; }
thead th { position: sticky; top: 0; background: #fafafa; border-bottom: 1px solid var(--line); }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button::after { content: " \\2195"; color: #aaa; }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--ink); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--ink); }
.status { display: inline-block; padding: 0 6px; border-radius: 3px; background: #eee; }
.status-reproduced { background: #d9f0d3; }
.status-error, .status-timeout, .status-kernel-died, .status-env-failed { background: #fde0dd; }
.status-score-mismatch, .status-grading-error, .status-no-submission { background: #fff1cc; }
td a { margin-left: 6px; color: var(--accent); }
.vega-embed { display: inline-block; position: relative; }
.vega-embed svg { max-width: 100%; height: auto; }
#vg-tooltip-element { visibility: hidden; padding: 8px; position: fixed; z-index: 1000; font-family: sans-serif; font-size: 11px; border-radius: 3px;
  box-shadow: 2px 2px 4px rgba(0, 0, 0, 0.1); white-space: pre-line; background-color: rgba(255, 255, 255, 0.95); border: 1px solid #d9d9d9; color: black; }
#vg-tooltip-element.visible { visibility: visible; }
#vg-tooltip-element h2 { margin-top: 0; margin-bottom: 10px; font-size: 13px; border: 0; padding: 0; }
#vg-tooltip-element table { border-spacing: 0; min-width: 0; }
#vg-tooltip-element table tr td { overflow: hidden; text-overflow: ellipsis; padding: 2px 0; vertical-align: text-top; border: 0; }
#vg-tooltip-element table tr td.key { color: #808080; max-width: 150px; text-align: right; padding-right: 4px; }
#vg-tooltip-element table tr td.value { display: block; max-width: 300px; max-height: 7em; text-align: left; }
`;
