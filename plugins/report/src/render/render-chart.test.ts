import { describe, expect, it } from 'vitest';
import { funnelChart } from '../charts/funnel-chart.js';
import { proportion } from '../stats/wilson-interval.js';
import { rasterizeSvg, renderChart, renumberSvgIds } from './render-chart.js';

/** Pixels darker than mid-grey: text and lines on the white background. */
function darkPixels(raster: { pixels: Buffer }): number {
  let dark = 0;
  for (let i = 0; i < raster.pixels.length; i += 4) if (raster.pixels[i]! < 128 && raster.pixels[i + 1]! < 128 && raster.pixels[i + 2]! < 128) dark++;
  return dark;
}

const textSvg = (family: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="10" y="28" font-family="${family}" font-size="20" fill="#000">Reproduced 35%</text></svg>`;

describe('rasterizeSvg', () => {
  it('draws text with the chart font, and with the fallback for unknown families', () => {
    const blank = rasterizeSvg('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/></svg>');
    expect(darkPixels(blank)).toBe(0);
    for (const family of ['DejaVu Sans, sans-serif', 'sans-serif', 'No Such Font']) {
      const raster = rasterizeSvg(textSvg(family));
      expect(raster.width).toBe(400); // twice the SVG's size
      expect(darkPixels(raster), family).toBeGreaterThan(300);
    }
    expect(rasterizeSvg(textSvg('sans-serif')).png.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('renumberSvgIds', () => {
  it('numbers ids per document inside tags only and keeps references pointing at them', () => {
    const svg = '<svg><defs><linearGradient id="gradient_17"/><clipPath id="clip42"/></defs><rect fill="url(#gradient_17)" clip-path="url(#clip42)"/><use href="#clip42"/><text>url(#gradient_17) id="x"</text></svg>';
    expect(renumberSvgIds(svg)).toBe(
      '<svg><defs><linearGradient id="gradient-0"/><clipPath id="clip-1"/></defs><rect fill="url(#gradient-0)" clip-path="url(#clip-1)"/><use href="#clip-1"/><text>url(#gradient_17) id="x"</text></svg>',
    );
  });
});

describe('renderChart', () => {
  it('renders a chart to SVG and PNG with its text, twice the same', async () => {
    const experiment = { id: 1, name: 'baseline', kind: 'baseline' as const, startedAt: '', finishedAt: null };
    const chart = funnelChart(
      {
        missing: null,
        coverage: [],
        statuses: [],
        stages: [
          { experiment, stage: 'attempted', stageLabel: 'attempted', share: proportion(9, 9) },
          { experiment, stage: 'reproduced', stageLabel: 'reproduced', share: proportion(2, 9) },
        ],
      },
      ['baseline'],
    );
    const first = await renderChart(chart);
    const second = await renderChart(chart);
    expect(first.warnings).toEqual([]);
    expect(first.svg).toContain('>reproduced</text>');
    expect(first.svg).toBe(second.svg);
    expect(first.png.equals(second.png)).toBe(true);
  });
});
