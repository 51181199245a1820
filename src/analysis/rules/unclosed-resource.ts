// unclosed-resource: a socket, HTTP client, connection or response that is acquired and, on some path, neither
// released nor handed to an owner. Every one of them is a file descriptor; when the peer closes first, an
// unreleased socket sits in CLOSE_WAIT until the process dies.
import type { Node } from 'web-tree-sitter';
import { possible, unlessDeprecated, type Certainty } from '../catalog/certainty';
import { acquisitionsAt, type Acquisition } from '../catalog/acquisitions';
import { isKeepAliveAgent, jsCertainty } from '../catalog/js-acquisitions';
import { factoryAcquisitions, factoryNames } from '../catalog/resource-factories';
import { javaMayAcquire } from '../catalog/java-call-names';
import { JS, type ResourceKind } from '../catalog/resources';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import { suppressedByAnnotation } from '../syntax/java';
import { fieldLeaks } from '../flow/field-leaks';
import { helperAcquisitions } from '../flow/helpers';
import { swallowingCatchLine } from '../flow/accept-loop';
import { moduleVariableLeaks } from '../flow/module-variables';
import { findLeak, type Leak } from '../flow/ownership';
import { unlessCommandLine, unlessProcessExits } from '../flow/process-exit';
import { unlessDevelopmentOnly } from '../flow/development-only';
import type { Report, Rule } from './rule';

/** `@SuppressWarnings` values that mean "this resource stays open on purpose" (javac/Eclipse/IntelliJ, and ours). */
const LEAK_WARNINGS = ['resource', 'all', 'closewait', 'unclosed-resource'];

function describe(leak: Leak, kind: ResourceKind, via?: Acquisition['via']): string {
  const { verb } = kind;
  const label = via ? `${kind.label} returned by ${via.name}()` : kind.label;
  // The wrapper that seemed to own it, when its close() does not close it: say so, or the message looks wrong.
  const why = leak.keptOpenBy ? ` (${leak.keptOpenBy})` : '';
  let advice = kind.advice;
  let what: string;
  switch (leak.reason) {
    case 'never':
      what = `${label} is never ${verb}`;
      break;
    case 'discarded':
      what = `${label} is thrown away without being ${verb}`;
      break;
    case 'exit':
      what = `${label} is not ${verb} when ${leak.exit === 'return' ? 'returning' : 'throwing'} at line ${leak.line}`;
      break;
    case 'exception':
      if (leak.handover) {
        what = `${label} is not ${verb} when an exception is thrown at line ${leak.line}, before it is handed over at line ${leak.handover}`;
        if (leak.swallowedAt) what += `, and the catch at line ${leak.swallowedAt} goes on to the next connection without closing it`;
        advice = 'close it in a catch block around its set-up';
      } else if (leak.accessor) {
        what = `${label} is not ${verb} when \`${leak.accessor}\` at line ${leak.line} fails, before the try-with-resources that would close it begins`;
        advice = `declare the ${kind.label} itself in the try-with-resources`;
      } else {
        what = `${label} is not ${verb} when an exception is thrown (from line ${leak.line} on it is ${verb} only on the normal path)`;
      }
      break;
    case 'reassigned':
      what = `${label} is not ${verb} before \`${leak.name}\` is reassigned at line ${leak.line}`;
      break;
    case 'some-paths':
      what = `${label} is ${verb} only on some paths (see line ${leak.line})`;
      break;
  }
  return `${what}${why}: ${advice}.`;
}

/** A module-level keep-alive agent bound to a name that nothing ever calls `destroy()` on. */
function agentNeverDestroyed(call: Call, model: FileModel): boolean {
  // The cheap test first: climbing to the enclosing function for every call of a file is what costs.
  if (!isKeepAliveAgent(call, model) || model.functionOf(call.node)) return false;
  const c = model.dialect.context(call.node);
  if (c.kind !== 'bind') return false;
  const destroy = new RegExp(`\\b${c.name}\\s*\\??\\.\\s*destroy\\s*\\(`);
  return !destroy.test(model.file.text);
}

/** A set-up failure of an accepted connection that the accept loop's catch swallows (see accept-loop.ts). */
function withSwallowingCatch(leak: Leak, acquisition: Acquisition, model: FileModel): Leak {
  if (leak.reason !== 'exception' || !leak.handover) return leak;
  const c = model.dialect.context(acquisition.node);
  const swallowedAt = c.kind === 'bind' ? swallowingCatchLine(acquisition.node, c.name, leak.handover, model) : undefined;
  return swallowedAt === undefined ? leak : { ...leak, swallowedAt };
}

/**
 * A WebSocket whose variable gets a 'close' listener in its function (`ws.onclose = ...`, `ws.on('close', ...)`): a
 * stream meant to live until the peer ends it, which the code follows to its end (a market-data feed that reconnects
 * from there: crypto-trading-bot's exchange adapters). The ws library completes the peer's close handshake itself,
 * so no socket is left in CLOSE_WAIT.
 */
function followedToItsEnd(node: Node, kind: ResourceKind, model: FileModel): boolean {
  if (kind.resource !== 'WebSocket') return false;
  const c = model.dialect.context(node);
  if (c.kind !== 'bind') return false;
  const name = c.name.replace(/[$]/g, '\\$&');
  const scope = model.functionOf(node) ?? model.root;
  return new RegExp(`\\b${name}\\s*\\.\\s*(?:onclose\\s*=[^=]|(?:on|once|addEventListener)\\s*\\(\\s*['"\`]close['"\`])`).test(scope.text);
}

/** How sure a leak is: the acquisition's certainty, unless an owner or the garbage collector may release it. */
function leakCertainty(leak: Leak, node: Node, kind: ResourceKind, acquired: Certainty, model: FileModel): Certainty {
  // Deprecated code is kept for compatibility: on real code its leaks were not worth a change (strict profile).
  const unlessOld = kind.family === 'java' ? unlessDeprecated(node, acquired) : acquired;
  if (unlessOld !== acquired) return unlessOld;
  // Handed to another object's method first: that method may be the one that closes it.
  if (leak.handedTo) return possible(`${acquired.basis}; handed to ${leak.handedTo}(...) first, which may own and close it`);
  // Real (projects fixed such set-up throws), but the throw is rare and the owner's error handling often covers it:
  // on real code most of these were not worth a change.
  // ...unless the failure is swallowed in a server's accept loop: then each failing client leaks one, for good.
  if (leak.reason === 'exception' && leak.handover && leak.swallowedAt === undefined) return possible(`${acquired.basis}; a set-up step before the hand-over at line ${leak.handover} may throw`);
  // Never read at all is the same: a status check's tiny unread reply (`.then((res) => res.ok)`) on every label,
  // and node-fetch's small replies (an error, a redirect, an ack) are drained by node-fetch itself.
  const onErrorPathOnly = leak.reason !== 'never' && leak.reason !== 'discarded';
  if (leak.reason === 'never' && followedToItsEnd(node, kind, model)) {
    return possible(`${acquired.basis}; a stream the code follows to its end (a 'close' listener): meant to live until the peer closes it`);
  }
  if (kind.reclaimedByGc) return possible(`${acquired.basis}; ${onErrorPathOnly ? 'left only on some paths' : 'left unread'}, and ${kind.reclaimedByGc}`);
  // `new ServerSocket(0)` closed right after getLocalPort(): a free-port probe, open for a moment, once.
  if (leak.reason === 'exception' && FREE_PORT_PROBE.test(node.text)) return possible(`${acquired.basis}; a free-port probe that leaks only if a call between bind and close throws`);
  return acquired;
}

const FREE_PORT_PROBE = /^new\s+(java\.net\.)?ServerSocket\s*\(\s*0\s*\)$/;

/** A leak in a one-shot command (its process exits right after) lasts a moment, one in development-only code never reaches production: strict only. */
function oneShot(node: Node, model: FileModel, certainty: Certainty): Certainty {
  return unlessDevelopmentOnly(node, model, unlessCommandLine(node, model, unlessProcessExits(node, model, certainty)));
}

function reportAt(node: Node, kind: ResourceKind, certainty: Certainty, message: string, report: (r: Report) => void): void {
  report({ node, message, severity: kind.severity, resource: kind.resource, ...certainty });
}

export const unclosedResource: Rule = {
  meta: {
    id: 'unclosed-resource',
    defaultSeverity: 'warning',
    description: 'A socket, HTTP client, connection or response is not closed on every path.',
    families: ['java', 'js'],
    why: 'A socket, client or response never closed keeps its file descriptor. When the peer closes first it sits in **CLOSE_WAIT** until the process dies: under load they pile up until the server stops answering.',
    docs: [
      'A socket, HTTP client, connection or response that is never closed keeps its file descriptor. When the peer',
      'closes first, the socket sits in **CLOSE_WAIT** and no kernel timer ever clears it: only `close()` or killing',
      'the process does. Under load they pile up until the server stops answering.',
    ].join('\n'),
    examples: {
      java: {
        language: 'java',
        before: 'CloseableHttpResponse response = client.execute(get);\nreturn EntityUtils.toString(response.getEntity());',
        after: 'try (CloseableHttpResponse response = client.execute(get)) {\n    return EntityUtils.toString(response.getEntity());\n}',
      },
      js: {
        language: 'ts',
        before: 'const res = await fetch(url);\nif (!res.ok) throw new Error(`HTTP ${res.status}`);',
        after: 'if (!res.ok) { await res.body?.cancel(); throw new Error(`HTTP ${res.status}`); }',
      },
    },
  },
  keywords:
    /Agent|Socket|Channel|Selector|Jedis|getResource|openConnection|HttpClient|execute|ClientBuilder|newCall|\.send\(|\.request\(|\.get\(|\.post\(|connect|createConnection|fetch|request|WebSocket|responseType|stream|isStream/,
  workspaceKeywords: factoryNames,
  check({ model, facts, report }) {
    // A Java file that calls nothing the catalogue or the workspace's factories name has no acquisition to follow.
    const calls = !model.isJava || javaMayAcquire(model.file.text, facts) ? model.candidates() : [];
    for (const { node, call } of calls) {
      model.checkDeadline();
      const acquisitions = [...acquisitionsAt(call, model)];
      // A call of the file's own helper, or of another file's factory, that returns a fresh resource acquires it here.
      if (acquisitions.length === 0) acquisitions.push(...helperAcquisitions(call, model));
      if (acquisitions.length === 0) acquisitions.push(...factoryAcquisitions(call, model, facts));
      for (const acquisition of acquisitions) {
        if (model.isJava && suppressedByAnnotation(acquisition.node, LEAK_WARNINGS)) continue;
        const found = findLeak(acquisition, model);
        if (!found) continue;
        const leak = withSwallowingCatch(found, acquisition, model);
        const certainty = oneShot(acquisition.node, model, leakCertainty(leak, acquisition.node, acquisition.kind, acquisition.certainty, model));
        reportAt(acquisition.node, acquisition.kind, certainty, describe(leak, acquisition.kind, acquisition.via), report);
      }
      if (!model.isJava && agentNeverDestroyed(call, model)) {
        // One agent for the life of the process, its idle sockets closed as their peers close them: destroying it
        // matters at shutdown only (Sharetribe's web template keeps two per module), so the strict profile's.
        const resolved = jsCertainty(model.jsModules.resolve(call), 'Agent');
        const certainty = possible(`${resolved.basis}; a module-level agent lives as long as the process, and its idle sockets close with their peers`);
        reportAt(node, JS.keepAliveAgent, certainty, describe({ reason: 'never' }, JS.keepAliveAgent), report);
      }
    }
    // Resources held in fields, judged over their whole class, and in module-level variables.
    for (const leak of [...fieldLeaks(model), ...moduleVariableLeaks(model)]) {
      if (model.isJava && suppressedByAnnotation(leak.node, LEAK_WARNINGS)) continue;
      const certainty = leak.kind.family === 'java' ? unlessDeprecated(leak.node, leak.certainty) : leak.certainty;
      reportAt(leak.node, leak.kind, oneShot(leak.node, model, certainty), leak.message, report);
    }
  },
};
