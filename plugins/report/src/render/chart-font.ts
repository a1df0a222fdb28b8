import { existsSync } from 'node:fs';

/**
 * Where DejaVu Sans lives on the systems mle runs on (Debian/Ubuntu, Fedora, Arch, Alpine,
 * Homebrew). The charts name it first, so SVG and PNG use the same metrics; without it the PNG
 * renderer falls back to the system's fonts (slower to load, but text still renders).
 */
const CANDIDATE_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/dejavu-sans-fonts',
  '/usr/share/fonts/TTF',
  '/usr/share/fonts/ttf-dejavu',
  '/opt/homebrew/share/fonts',
  '/usr/local/share/fonts',
];
const FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

export interface ChartFont {
  /** Font files handed to resvg; empty when none was found. */
  files: string[];
  /** The family resvg uses for `sans-serif` and unknown names; undefined = the system's first font. */
  family: string | undefined;
}

let cached: ChartFont | undefined;

export function findChartFont(): ChartFont {
  if (cached) return cached;
  for (const dir of CANDIDATE_DIRS) {
    const files = FILES.map((file) => `${dir}/${file}`).filter((file) => existsSync(file));
    if (files.length > 0) return (cached = { files, family: 'DejaVu Sans' });
  }
  return (cached = { files: [], family: undefined });
}
