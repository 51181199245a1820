// The rules the language server runs, on its main thread and in its background worker alike.
import { RULES } from '../analysis/rules';
import type { Rule } from '../analysis/rules/rule';

/**
 * CLOSEWAIT_FAULTY_RULE=1 adds a rule that throws on every file mentioning `closewait-fault`: the seam the
 * protocol tests use to prove that one broken rule never stops the others.
 */
export function serverRules(): readonly Rule[] {
  if (process.env.CLOSEWAIT_FAULTY_RULE !== '1') return RULES;
  const faulty: Rule = {
    meta: { id: 'faulty-rule', defaultSeverity: 'error', description: 'Throws, on purpose.', why: '', docs: '', examples: {}, families: ['java', 'js'] },
    keywords: /closewait-fault/,
    check() {
      throw new Error('faulty-rule failed on purpose');
    },
  };
  return [faulty, ...RULES];
}
