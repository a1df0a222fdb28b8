import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The three browser builds index.html inlines, in load order (vega-lite and vega-embed need vega). */
export const BROWSER_PACKAGES = ['vega', 'vega-lite', 'vega-embed'] as const;

export class BrowserBundleNotFoundError extends Error {
  override name = 'BrowserBundleNotFoundError';
}

const require = createRequire(import.meta.url);

/**
 * The package's own browser build: the file its package.json names under `unpkg` (what a CDN
 * would serve), found from the package root. The packages' `exports` hide their build folders
 * from require.resolve, so the root is found by walking up from the resolved entry point.
 */
function bundlePath(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; unpkg?: string; jsdelivr?: string };
      if (json.name === name) {
        const file = json.unpkg ?? json.jsdelivr;
        if (!file) throw new BrowserBundleNotFoundError(`${name} declares no browser build (unpkg/jsdelivr) in ${manifest}`);
        return path.join(dir, file);
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new BrowserBundleNotFoundError(`cannot find the package root of ${name}`);
    dir = parent;
  }
}

let cached: { name: string; source: string }[] | undefined;

/**
 * The browser builds' source, safe to place inside <script>: a `</script` or `<!--` in a string
 * literal of the library would end or confuse the element, so both are rewritten with an escaped
 * slash/bang that means the same inside JavaScript strings and regular expressions.
 */
export function browserBundles(): { name: string; source: string }[] {
  cached ??= BROWSER_PACKAGES.map((name) => ({
    name,
    source: readFileSync(bundlePath(name), 'utf8')
      .replace(/<\/(script)/gi, '<\\/$1')
      .replace(/<!--/g, '<\\!--'),
  }));
  return cached;
}
