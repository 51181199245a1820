// Where an acquired resource starts holding a descriptor. Most hold one from their acquisition; an unconnected
// socket (`new Socket()`, a factory's `createSocket()`) only once connect() succeeds, and a URLConnection only on its
// first request (ResourceKind.opensWith). Before that a return or a throw leaks nothing (flow/paths.ts).
import type { Node } from 'web-tree-sitter';
import type { Acquisition } from '../catalog/acquisitions';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';

/** The uses of `name` in `fn` after the acquisition. */
function usesAfter(acquisition: Acquisition, fn: Node, model: FileModel, name: string): Node[] {
  return model.references(model.dialect.functionBody(fn) ?? fn, name).filter((ref) => ref.startIndex >= acquisition.node.endIndex);
}

/** True when every use of `name` after the acquisition calls a method on it: no alias or callee may open it. */
export function onlyCalledOn(acquisition: Acquisition, fn: Node, model: FileModel, name: string): boolean {
  return usesAfter(acquisition, fn, model, name).every((ref) => model.dialect.context(ref).kind === 'receiver');
}

/** Every call on `name` that opens the connection, for a kind that opens late (a URLConnection's first request). */
export function openingCalls(acquisition: Acquisition, fn: Node, model: FileModel, name: string): Node[] | undefined {
  const opens = acquisition.kind.opensWith;
  if (!opens) return undefined;
  const calls: Node[] = [];
  for (const ref of usesAfter(acquisition, fn, model, name)) {
    const c = model.dialect.context(ref);
    if (c.kind === 'receiver' && opens.test(c.call.name)) calls.push(c.call.node);
  }
  return calls;
}

/**
 * Where the resource starts holding a descriptor: for `new Socket()` or `factory.createSocket()` (unconnected: the
 * JDK opens the descriptor in connect), the end of the statement that first connects it; for what opens its
 * connection on a later call (ResourceKind.opensWith), the end of the first such call; for everything else, where
 * it is acquired.
 */
export function findOpenFrom(acquisition: Acquisition, fn: Node, model: FileModel, name: string): number {
  const kind = acquisition.kind;
  const opens = kind.opensWith;
  // `if (conn.getResponseCode() >= 400) return null;`: open from the call itself, the return in the if after it.
  if (opens) return endOfFirstCall(acquisition, fn, model, name, (call) => opens.test(call.name), false);
  const created = model.dialect.call(acquisition.node);
  // `new Socket()`, `new Socket(proxy)`, a factory's `createSocket()`: made unconnected.
  const unconnected = created && (created.kind === 'new' ? created.args.length <= 1 : created.name === 'createSocket' && created.args.length === 0);
  if (!unconnected || !/^java\.net\.Socket$|SSLSocket$/.test(kind.resource)) return 0;
  // A failed connect() closes the socket: its whole statement is before the descriptor is ours.
  return endOfFirstCall(acquisition, fn, model, name, (call) => call.name === 'connect', true);
}

/**
 * The end of the first call on `name` that `opens` says opens a connection (or of the statement holding it); the
 * function's end when there is none (never connected here: it holds no descriptor in this function).
 */
function endOfFirstCall(acquisition: Acquisition, fn: Node, model: FileModel, name: string, opens: (call: Call) => boolean, wholeStatement: boolean): number {
  for (const ref of usesAfter(acquisition, fn, model, name)) {
    const c = model.dialect.context(ref);
    if (c.kind !== 'receiver' || !opens(c.call)) continue;
    let end: Node | null = c.call.node;
    while (wholeStatement && end && !model.dialect.isStatement(end)) end = end.parent;
    return end?.endIndex ?? 0;
  }
  return fn.endIndex;
}
