// The catalogue of network clients whose default is "wait forever", and how each one is given a timeout: one
// check per API family, in java-timeouts.ts and js-timeouts.ts, written in the terms of timeout-requirements.ts;
// calls of the workspace's own wrappers of those clients are judged through their summaries (wrapper-timeouts.ts).
import { NO_FACTS, type WorkspaceFacts } from '../facts/workspace';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import { JAVA_CHECKS } from './java-timeouts';
import { JS_CHECKS, racedAgainstTimer } from './js-timeouts';
import type { TimeoutProblem } from './timeout-requirements';
import { wrapperCall } from './wrapper-timeouts';

export type { TimeoutProblem } from './timeout-requirements';

/** The timeout problem of a call or construction, if its API is in the catalogue and no timeout bounds it. */
export function timeoutProblemAt(call: Call, model: FileModel, facts: WorkspaceFacts = NO_FACTS): TimeoutProblem | undefined {
  let problem: TimeoutProblem | undefined;
  for (const check of model.isJava ? JAVA_CHECKS : JS_CHECKS) {
    problem = check(call, model, facts);
    if (problem) break;
  }
  problem ??= wrapperCall(call, model, facts);
  return problem && !model.isJava && racedAgainstTimer(problem.node, model) ? undefined : problem;
}
