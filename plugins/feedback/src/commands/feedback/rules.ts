import { CATEGORY_RULES } from '@mle/core';
import { MleCommand } from '@mle/command';

/** A category rule as plain data (matchers shown as text). */
export interface RuleDescription {
  id: string;
  explicit: string | null;
  implicit: string | null;
  confidence: number;
  description: string;
  example: string;
  match: Record<string, string | string[] | boolean>;
}

export default class FeedbackRules extends MleCommand<typeof FeedbackRules> {
  static override summary = 'List the rules that give each feedback instance its category.';

  static override description = `Rules are tried in order; the first that matches and has a category for the instance's form (explicit: assertions and guards; implicit: prints, displays, logging, last-cell values) decides. An instance no rule matches is "other". The confidence stored with an instance is the rule's, lowered when a later rule pointing to another category also matched.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<RuleDescription[]> {
    const rules = CATEGORY_RULES.map((rule) => ({
      id: rule.id,
      explicit: rule.explicit,
      implicit: rule.implicit,
      confidence: rule.confidence,
      description: rule.description,
      example: rule.example,
      match: Object.fromEntries(Object.entries(rule.match).map(([key, value]) => [key, value instanceof RegExp ? String(value) : (value as string[] | boolean)])),
    }));
    if (!this.jsonEnabled()) {
      for (const rule of rules) {
        this.log(`${rule.id}  explicit: ${rule.explicit ?? '-'}  implicit: ${rule.implicit ?? '-'}  confidence ${rule.confidence}`);
        this.log(`  ${rule.description}`);
        this.log(`  e.g. ${rule.example}\n`);
      }
    }
    return rules;
  }
}
