// Code that runs once per process: a call at the top level of a JavaScript/TypeScript module that exports nothing is
// a script's body (overleaf's font download scripts under frontend/, run by hand with `node build-fonts.mjs`) or a
// server's start-up. A stall there is seen by whoever ran it and never piles up under load, so its findings are
// strict only. A call inside a function, even one passed at the top level (a route handler, a timer's callback),
// runs whenever that function does, and stays reported; so does a client made at the top level for functions to use.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';

const EXPORTS = /\bexport\b|\bmodule\.exports\b|\bexports\.[\w$]+\s*=/;

/**
 * True when `node` runs at the top level of a JavaScript/TypeScript module that exports nothing, and what it makes is
 * not kept for later: a client created there (`const api = axios.create(...)`) serves the functions that use it.
 */
export function runsOnceAtTopLevel(node: Node, model: FileModel): boolean {
  if (model.isJava || model.functionOf(node) !== null || EXPORTS.test(model.file.text)) return false;
  const bound = model.dialect.context(node);
  if (bound.kind !== 'bind') return true;
  return model.references(model.root, bound.name).every((ref) => model.functionOf(ref) === null);
}
