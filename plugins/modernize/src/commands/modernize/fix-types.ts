import { MleCommand } from '@mle/command';
import { collectFixTypes, FIX_TYPES_HOOK, fixTypeRows, formatFixTypeTable, type FixTypeRow } from '../../installed-fix-types.js';

export interface FixTypesOutput {
  fixTypes: FixTypeRow[];
  problems: string[];
}

export default class ModernizeFixTypes extends MleCommand<typeof ModernizeFixTypes> {
  static override summary = 'List the installed fix types: the built-in rule catalogue and those added by plugins.';

  static override description = `Each fix type answers one kind of breakage (a row of the breaking-changes catalogue for the
built-in ones). SAFETY says how far its fixes can be trusted: safe fixes are applied by default,
unsafe ones only on request, display-only rules report guidance and never edit. FIXABLE says
whether a fix exists always, sometimes, or never.

Plugins add fix types through the ${FIX_TYPES_HOOK} hook; a plugin whose fix types are malformed
or reuse an installed code or id is listed under problems.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<FixTypesOutput> {
    const hook = await this.config.runHook(FIX_TYPES_HOOK, {}, undefined, true);
    const installed = collectFixTypes(hook.successes.map((success) => ({ source: success.plugin.name, result: success.result as unknown })));
    const problems = [...hook.failures.map((failure) => `${failure.plugin.name}: the ${FIX_TYPES_HOOK} hook failed: ${failure.error.message}`), ...installed.problems];
    const rows = fixTypeRows(installed.fixTypes);
    if (!this.jsonEnabled()) {
      this.log(formatFixTypeTable(rows));
      const fixing = rows.filter((row) => row.fixable !== 'none').length;
      this.log(`\n${rows.length} fix types (${fixing} with fixes, ${rows.length - fixing} display-only)`);
      for (const problem of problems) this.warn(problem);
    }
    return { fixTypes: rows, problems };
  }
}
