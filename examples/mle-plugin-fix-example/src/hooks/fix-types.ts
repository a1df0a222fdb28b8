import type { FixType } from '@mle/core';
import { fixTypes } from '../fix-types.js';

/**
 * The `mle:fix-types` oclif hook (declared in package.json). `mle modernize` and
 * `mle modernize fix-types` run it in every installed plugin and add what it returns to the
 * built-in catalogue; a malformed fix type or a reused code is reported and not loaded.
 */
export default async function fixTypesHook(): Promise<FixType[]> {
  return fixTypes as FixType[];
}
