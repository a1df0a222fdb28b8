import type { FixEnvironment } from '@mle/core';

/** Distribution names compare the PEP 503 way: case-insensitive, runs of `-_.` equal. */
export function normalizeDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Release numbers of a version string (`2.1.0rc1` → [2, 1, 0]); pre-release tags are ignored. */
function releaseOf(version: string): number[] {
  const match = /^\s*v?(\d+(?:\.\d+)*)/.exec(version);
  return match ? match[1]!.split('.').map(Number) : [];
}

export function compareVersions(a: string, b: string): number {
  const x = releaseOf(a);
  const y = releaseOf(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** The pinned version of a distribution, or null when the environment does not say. */
export function pinnedVersion(environment: FixEnvironment, distribution: string): string | null {
  const wanted = normalizeDistribution(distribution);
  for (const [name, version] of Object.entries(environment.pins)) {
    if (normalizeDistribution(name) === wanted) return version;
  }
  return null;
}

/** A distribution at least at some version; what a replacement API needs to exist. */
export interface VersionRequirement {
  distribution: string;
  version: string;
}

/**
 * The first requirement the environment is known to miss, or null. An unpinned distribution is
 * not held against a fix: pins are often unknown, and the loop re-runs the notebook anyway.
 */
export function unmetRequirement(environment: FixEnvironment, requirements: readonly VersionRequirement[]): VersionRequirement | null {
  for (const requirement of requirements) {
    const pinned = pinnedVersion(environment, requirement.distribution);
    if (pinned !== null && compareVersions(pinned, requirement.version) < 0) return requirement;
  }
  return null;
}
