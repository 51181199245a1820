// missing-timeout: a network client or call whose default is "wait forever" and that nothing gives a timeout.
// One slow peer then holds a thread (or an await) and its socket for good: the other half of every CLOSE_WAIT pile.
import type { Node } from 'web-tree-sitter';
import { possible, unlessDeprecated, type Certainty } from '../catalog/certainty';
import { javaMayLackTimeout } from '../catalog/java-call-names';
import { timeoutProblemAt } from '../catalog/timeouts';
import { unlessOwnOrigin } from '../flow/own-origin';
import { unlessHarnessMain, unlessProcessExits } from '../flow/process-exit';
import { unlessBackgroundUpdateCheck } from '../flow/update-checks';
import { unlessDevelopmentOnly } from '../flow/development-only';
import { unlessReplacedByConstructors } from '../flow/replaced-initializer';
import { projectOf, type WorkspaceFacts } from '../facts/workspace';
import type { FileModel } from '../model';
import type { Rule } from './rule';

export const missingTimeout: Rule = {
  meta: {
    id: 'missing-timeout',
    defaultSeverity: 'warning',
    description: 'A network client, connection or request can wait forever: no connect or read timeout is set.',
    families: ['java', 'js'],
    why: 'Most HTTP and socket APIs wait **forever** by default. One server that stops answering parks the caller and its socket; under load every worker waits and this server stops answering too.',
    docs: [
      'Most HTTP and socket APIs wait **forever** by default: `HttpURLConnection`, Apache HttpClient, `new RestTemplate()`,',
      '`fetch`, axios, `http.request`. One server that stops answering then parks the calling thread (or await) and its',
      'socket indefinitely; under load every worker ends up waiting and the server itself stops answering.',
    ].join('\n'),
    examples: {
      java: {
        language: 'java',
        before: 'HttpURLConnection conn = (HttpURLConnection) url.openConnection();',
        after: 'HttpURLConnection conn = (HttpURLConnection) url.openConnection();\nconn.setConnectTimeout(5_000);\nconn.setReadTimeout(10_000);',
      },
      js: {
        language: 'ts',
        before: 'const res = await fetch(url);',
        after: 'const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });',
      },
    },
  },
  keywords:
    /Socket|openConnection|HttpClient|RestTemplate|ClientBuilder|OkHttp|HttpRequest|fetch|http|net|tls|axios|got|superagent|request|undici/,
  check({ model, facts, report }) {
    // A Java file that calls no client the catalogue or the workspace's wrappers name has nothing to judge.
    if (model.isJava && !javaMayLackTimeout(model.file.text, facts)) return;
    for (const { call } of model.candidates()) {
      model.checkDeadline();
      const problem = timeoutProblemAt(call, model, facts);
      if (!problem) continue;
      // A one-shot run (a JS call whose settling ends the process, a Java harness main), an update check on a thread
      // of its own, development-only code, a field initializer every constructor replaces, a bean no code takes in
      // and a request to the app's own deployment are strict only.
      const { node, api } = problem;
      let certainty = unlessDeprecated(node, problem.certainty);
      for (const guard of [unlessProcessExits, unlessHarnessMain, unlessBackgroundUpdateCheck, unlessDevelopmentOnly, unlessReplacedByConstructors]) {
        certainty = guard(node, model, certainty);
      }
      certainty = unlessOwnOrigin(node, model, facts, unlessUninjectedBean(api, node, model, facts, certainty));
      report({ node, message: problem.message, resource: api, ...certainty });
    }
  },
};

/**
 * A RestTemplate made in a @Bean method when no Java code of the workspace takes a RestTemplate in (front50's five
 * storage configurations): the bean serves no one, strict only. What Kotlin, Groovy or XML would inject is not seen.
 */
function unlessUninjectedBean(api: string, node: Node, model: FileModel, facts: WorkspaceFacts, certainty: Certainty): Certainty {
  if (api !== 'RestTemplate' || facts.restTemplateInjected || certainty.confidence !== 'certain') return certainty;
  // An auto-configuration's bean is for the applications that add the module (servicecomb-pack's omega transports).
  if (facts.autoConfiguredProjects.includes(projectOf(facts, model.file.path))) return certainty;
  let method = model.functionOf(node);
  while (method && method.type !== 'method_declaration') method = model.functionOf(method);
  const modifiers = method?.namedChildren.find((n) => n?.type === 'modifiers')?.text ?? '';
  const returns = method?.childForFieldName('type')?.text ?? '';
  if (!/@Bean\b/.test(modifiers) || !/\b(RestTemplate|RestOperations)\b/.test(returns)) return certainty;
  return possible(`${certainty.basis}; a RestTemplate bean, and no Java code of the workspace takes a RestTemplate in`);
}
