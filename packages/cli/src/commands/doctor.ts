import { MleCommand } from '@mle/command';
import { diagnose, type DoctorReport } from '../doctor.js';

export default class Doctor extends MleCommand<typeof Doctor> {
  static override summary = 'Check that this machine has what mle needs, and say how to fix what is missing.';

  static override description = `Reports Node, the Python interpreters found (the ones backporting can use), uv,
bubblewrap (the kernel sandbox), ipykernel, Jupyter kernelspecs, and the database's schema version.
Exits non-zero when a required piece is missing; optional pieces only warn.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<DoctorReport> {
    const report = await diagnose(this.flags.db);
    if (!this.jsonEnabled()) {
      for (const c of report.checks) {
        const mark = c.ok ? 'ok  ' : c.optional ? 'warn' : 'FAIL';
        this.log(`${mark} ${c.name.padEnd(24)} ${c.found}`);
        if (!c.ok) this.log(`     ${''.padEnd(24)} fix: ${c.fix}`);
      }
    }
    if (!report.ok) process.exitCode = 1;
    return report;
  }
}
