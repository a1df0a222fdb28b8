import { Resvg } from '@resvg/resvg-js';
import { logger, parse, View, Warn, type LoggerInterface } from 'vega';
import { compile } from 'vega-lite';
import type { ChartDefinition } from '../charts/chart-definition.js';
import { findChartFont } from './chart-font.js';

export interface RenderedChart {
  id: string;
  svg: string;
  png: Buffer;
  /** Warnings from Vega-Lite's compiler and Vega's runtime: a correct chart has none. */
  warnings: string[];
}

/** A Vega logger that keeps warnings and errors instead of printing them. */
function collectingLogger(warnings: string[]): LoggerInterface {
  return logger(Warn, undefined, (_method, level, args) => {
    warnings.push(`${level} ${args.map(String).join(' ')}`);
  });
}

/**
 * Vega numbers gradient and clip-path ids with a counter that lives as long as the process, so
 * the same chart rendered twice would differ. Ids are renumbered per document, in order of first
 * appearance, which keeps every reference (url(#…), href="#…") pointing at the same element.
 */
export function renumberSvgIds(svg: string): string {
  // Only inside tags: text nodes hold chart text (notebook-derived), where Vega escapes < and >
  // but not quotes, so an `id="…"` there is data and must stay as it is.
  const tags = /<[^<>]*>/g;
  const ids = new Map<string, string>();
  for (const [tag] of svg.matchAll(tags)) {
    for (const match of tag.matchAll(/\sid="([^"]+)"/g)) {
      const id = match[1]!;
      if (!ids.has(id)) ids.set(id, `${id.replace(/[\d_-]+$/, '') || 'id'}-${ids.size}`);
    }
  }
  if (ids.size === 0) return svg;
  return svg.replace(tags, (tag) => tag.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (whole, prefix: string, id: string) => (ids.has(id) ? `${prefix}${ids.get(id)}` : whole)));
}

/** A rasterized SVG: the PNG file and its RGBA pixels (for checks that text was drawn). */
export interface Raster {
  png: Buffer;
  pixels: Buffer;
  width: number;
  height: number;
}

/** SVG → PNG at twice the SVG's size (sharp on high-density screens and in papers). */
export function rasterizeSvg(svg: string): Raster {
  const font = findChartFont();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
    font: {
      fontFiles: font.files,
      loadSystemFonts: font.files.length === 0,
      ...(font.family ? { defaultFontFamily: font.family, sansSerifFamily: font.family } : {}),
    },
    logLevel: 'off',
  });
  const image = resvg.render();
  return { png: image.asPng(), pixels: image.pixels, width: image.width, height: image.height };
}

/**
 * Compile a Vega-Lite chart and render it headlessly: Vega's View with no renderer produces the
 * SVG string (text is escaped by Vega), resvg rasterizes it. No network: the data is inline.
 */
export async function renderChart(chart: ChartDefinition): Promise<RenderedChart> {
  const warnings: string[] = [];
  const log = collectingLogger(warnings);
  const vegaSpec = compile(chart.spec, { logger: log }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', logger: log, logLevel: Warn });
  try {
    const svg = renumberSvgIds(await view.toSVG());
    return { id: chart.id, svg, png: rasterizeSvg(svg).png, warnings };
  } finally {
    view.finalize();
  }
}
