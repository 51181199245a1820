// Whether the work a wait stands on is seen to go over the network: the question that makes an unbounded wait worth
// a maintainer's time. On code nobody here wrote, request handlers mostly waited on tasks whose remote calls a
// timed client or a database driver bounds in another file (4 of 27 first-scan findings, in the spot checks that
// counted them, were worth fixing); the waits that hang a server are those whose tasks call out, as the original
// incident's invokeAll over fetches of its own Tomcat did.
import type { Node } from 'web-tree-sitter';
import { httpCallAt } from '../catalog/http-calls';
import type { FileModel } from '../model';
import { callsOwnCode } from '../syntax/dialect';

/** The outermost function around `node`: the method or top-level function (a lambda's or a local class's host). */
function unitOf(node: Node, model: FileModel): Node | null {
  let unit = model.functionOf(node);
  for (let outer = unit?.parent ? model.functionOf(unit.parent) : null; outer; outer = outer.parent ? model.functionOf(outer.parent) : null) unit = outer;
  return unit;
}

function callsWithin(fn: Node, model: FileModel): Node[] {
  return model.allCalls().filter((c) => c.startIndex >= fn.startIndex && c.endIndex <= fn.endIndex);
}

function anyHttpCall(calls: readonly Node[], model: FileModel): boolean {
  return calls.some((node) => {
    const call = model.dialect.call(node);
    return !!call && !!httpCallAt(call, model);
  });
}

/**
 * True when the function holding `wait` makes an HTTP call, or a function of the same file it calls does (one step:
 * the helpers whose text the incremental analysis already links to this function, see incremental.ts). The tasks
 * handed to an executor are written there (`tasks.add(() -> fetch(url))`, `submit(() -> renderBody(id))`).
 */
export function waitsOnRemoteWork(wait: Node, model: FileModel): boolean {
  const unit = unitOf(wait, model);
  if (!unit) return false;
  const calls = callsWithin(unit, model);
  if (anyHttpCall(calls, model)) return true;
  const helpers = new Set<number>();
  for (const node of calls) {
    const call = model.dialect.call(node);
    if (!call || !callsOwnCode(call)) continue;
    for (const method of model.methodsNamed(call.name)) {
      if (method.equals(unit) || helpers.has(method.id)) continue;
      helpers.add(method.id);
      if (anyHttpCall(callsWithin(method, model), model)) return true;
    }
  }
  return false;
}
