import type { Rule } from './rule';
import { unclosedResource } from './unclosed-resource';

/** Every rule, in the order findings are listed when several share a line. */
export const RULES: readonly Rule[] = [unclosedResource];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
