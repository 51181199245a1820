import type { Rule } from './rule';
import { missingTimeout } from './missing-timeout';
import { selfCall } from './self-call';
import { unboundedWait } from './unbounded-wait';
import { unclosedResource } from './unclosed-resource';

/** Every rule, in the order SARIF and docs list them. */
export const RULES: readonly Rule[] = [unclosedResource, missingTimeout, unboundedWait, selfCall];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
