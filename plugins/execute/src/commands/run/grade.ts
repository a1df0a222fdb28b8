import { Flags } from '@oclif/core';
import { MleCommand } from '@mle/command';
import { loadCompetition, gradeSubmission, type GradeOutcome, DEFAULT_TOLERANCE, judgeReproducibility, type Verdict } from '@mle/runner';

/** Exit status when the submission could not be graded: distinct from 1, a failure of the command itself. */
export const GRADING_ERROR_EXIT = 2;

const number = Flags.custom<number>({
  parse: async (input) => {
    const value = Number(input);
    if (input.trim() === '' || !Number.isFinite(value)) throw new Error(`expected a number, got "${input}"`);
    return value;
  },
});

export type RunGradeResult = GradeOutcome & {
  competition: string;
  submission: string;
  /** With --reported: whether the score reproduces it. */
  verdict?: Verdict;
};

export default class RunGrade extends MleCommand<typeof RunGrade> {
  static override summary = 'Grade a submission file against a competition.';

  static override description = `Reads the competition directory (competition.json, data/sample_submission.csv, private/answers.csv), joins the submission to the answers on the id column and scores it with the competition's metric.

A submission that cannot be graded (missing ids, wrong columns, NaN values, ...) gets a grading error code and a one-line message on stderr, and the command exits with status ${GRADING_ERROR_EXIT}; a competition directory that cannot be used exits with status 1.

With --reported, also says whether the score reproduces that score (relative error within --tolerance). Nothing is written to the database.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --competition datasets/competitions/breast-cancer --submission submission.csv',
    '<%= config.bin %> <%= command.id %> --competition comps/titanic --submission out/submission.csv --reported 0.78 --json',
  ];

  static override flags = {
    competition: Flags.string({ char: 'c', summary: 'Competition directory (competition.json, data/, private/).', required: true }),
    submission: Flags.string({ char: 's', summary: 'Submission CSV to grade.', required: true }),
    reported: number({ summary: 'Score the submission was reported to reach; prints the relative error and the verdict.' }),
    tolerance: number({ summary: 'Largest relative error that still counts as reproduced (0.1 = 10%).', default: DEFAULT_TOLERANCE }),
  };

  async run(): Promise<RunGradeResult> {
    if (this.flags.tolerance < 0) throw new Error(`--tolerance must be 0 or more, got ${this.flags.tolerance}`);
    const competition = await loadCompetition(this.flags.competition);
    const outcome = await gradeSubmission(competition, this.flags.submission);
    const result: RunGradeResult = { ...outcome, competition: competition.slug, submission: this.flags.submission };
    if (outcome.ok && this.flags.reported !== undefined) {
      result.verdict = judgeReproducibility([outcome.score], this.flags.reported, { tolerance: this.flags.tolerance });
    }
    if (!this.jsonEnabled()) {
      if (outcome.ok) {
        this.log(`${outcome.metric} ${outcome.score} (${outcome.higherIsBetter ? 'higher' : 'lower'} is better) on ${outcome.rows} rows of ${competition.slug}`);
        for (const warning of outcome.warnings) this.log(`  warning: ${warning}`);
        if (result.verdict) this.log(`${result.verdict.reproducible ? 'reproduced' : 'score-mismatch'}: ${result.verdict.reason}`);
      } else {
        this.logToStderr(`grading error (${outcome.code}): ${outcome.message}`);
      }
    }
    if (!outcome.ok) process.exitCode = GRADING_ERROR_EXIT;
    return result;
  }
}
