// A response released through the request it was executed for: `response = client.execute(get); ... get.abort();`
// gives HttpClient 4's connection back on that path as a close of the response would (releaseConnection, reset,
// abort; HttpClient 5: reset, cancel, abort). ownership.ts adds these places to the resource's release events.
import type { Node } from 'web-tree-sitter';
import type { Acquisition } from '../catalog/acquisitions';
import type { FileModel } from '../model';
import { contains, type Call } from '../syntax/dialect';
import type { Event } from './paths';

/** The release events of `acquisition`'s request in `fn`, after the acquisition. */
export function requestReleases(acquisition: Acquisition, fn: Node, model: FileModel): Event[] {
  const methods = acquisition.kind.releasedByRequest;
  const request = executedRequest(acquisition, model);
  if (!methods || !request) return [];
  return releasingCallsOn(request.text, methods, acquisition, fn, model).map(({ ref, call }) => ({
    node: nullTestAround(call.node, request.text, fn, model) ?? ref,
    type: 'release',
  }));
}

/**
 * The calls of one of `methods` on the variable `name` in `fn` itself (not a nested function), after the acquisition:
 * `get.abort()` here, `cm.shutdown()` for manager-releases.ts. Each with the reference it is called on.
 */
export function releasingCallsOn(name: string, methods: ReadonlySet<string>, acquisition: Acquisition, fn: Node, model: FileModel): { ref: Node; call: Call }[] {
  const calls: { ref: Node; call: Call }[] = [];
  for (const ref of model.references(model.dialect.functionBody(fn) ?? fn, name)) {
    if (ref.startIndex < acquisition.node.endIndex || !model.functionOf(ref)?.equals(fn)) continue;
    const c = model.dialect.context(ref);
    if (c.kind === 'receiver' && methods.has(c.call.name)) calls.push({ ref, call: c.call });
  }
  return calls;
}

/**
 * The request variable of `client.execute(request, ...)` or `client.execute(host, request, ...)` (HttpClient's
 * overloads that name the target apart: Red5's RTMPT connectors).
 */
export function executedRequest(acquisition: Acquisition, model: FileModel): Node | undefined {
  const made = model.dialect.call(acquisition.node);
  if (made?.name !== 'execute') return undefined;
  const [first, second] = made.args.map((a) => model.dialect.unwrap(a));
  const host = first && (/^new HttpHost\b/.test(first.text) || /host$/i.test(first.text));
  const request = host ? second : first;
  return request?.type === 'identifier' ? request : undefined;
}

/**
 * `if (request != null) request.abort();`: the request went to execute(), so it is not null and the test releases
 * on both branches. The condition, when `node` sits in its non-null branch.
 */
function nullTestAround(node: Node, name: string, fn: Node, model: FileModel): Node | undefined {
  for (let n = node.parent, child: Node = node; n && !n.equals(fn); child = n, n = n.parent) {
    const s = model.dialect.statement(n);
    if (s.kind !== 'if' || !s.condition) continue;
    const nullBranch = model.dialect.nullBranch(s.condition, name);
    const nonNull = nullBranch === 'else' ? s.consequence : nullBranch === 'then' ? s.alternative : null;
    return nonNull && contains(nonNull, child) ? s.condition : undefined;
  }
  return undefined;
}
