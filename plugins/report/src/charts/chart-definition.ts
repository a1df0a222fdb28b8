import type { TopLevelSpec } from 'vega-lite';

/** One chart of the report: a Vega-Lite spec with inline data, rendered in Node and in the page. */
export interface ChartDefinition {
  /** File name stem under figures/ and the element id in index.html: kebab-case, fixed by code. */
  id: string;
  title: string;
  /** One sentence under the chart saying what it shows and what the bars/points count. */
  description: string;
  spec: TopLevelSpec;
}

/** The font the figures use: DejaVu Sans is the font the PNG renderer loads; browsers fall back to sans-serif. */
export const CHART_FONT = 'DejaVu Sans, sans-serif';

/**
 * Shared look. `autosize: pad` keeps every label inside the image; no `$schema` URL because
 * nothing may be fetched, and charts are rendered with the runtime bundled in the page.
 */
export const CHART_CONFIG = {
  font: CHART_FONT,
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  title: { fontSize: 14, anchor: 'start' as const },
  header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 400 },
};

export const CHART_WIDTH = 560;

/** Percent axis format and the share field's tooltip format. */
export const PERCENT = '.1%';

/**
 * Experiments keep the report's order in legends and offsets by sorting on their position
 * (`order`), never by listing their names: Vega-Lite turns some name lists (an explicit color
 * domain beside an offset) into Vega expressions, which a name with a U+2028 or a quote breaks.
 */
export const EXPERIMENT_ORDER = { field: 'order', op: 'min' as const, order: 'ascending' as const };
