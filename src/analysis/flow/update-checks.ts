// An update check on a thread of its own: a plugin or server asks its project's site whether a newer release exists,
// on a thread it starts for that and that nobody waits for, and logs the answer (dynmap's VersionCheck, copied into
// each of its 18 platform builds). A stall parks that one thread and delays nothing: strict only. A check that a
// request or another caller waits for (an admin page's "check now") stays reported.
import type { Node } from 'web-tree-sitter';
import { possible, type Certainty } from '../catalog/certainty';
import type { FileModel } from '../model';
import { runsOnAnotherThread } from './handlers';

/** A method or class named for checking for a newer version or update. */
const UPDATE_CHECK = /(version|update|release)s?_?check|check_?(for_?)?(new_?|latest_?)?(version|update|release)|latest_?(version|release)/i;
/** How many same-file callers deep a check may sit below the thread's body. */
const MAX_DEPTH = 3;

export function unlessBackgroundUpdateCheck(node: Node, model: FileModel, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || !model.isJava) return certainty;
  const method = enclosingMethod(node, model);
  if (!method || !namedForUpdateCheck(method) || !onItsOwnThread(method, model, 0)) return certainty;
  return possible(`${certainty.basis}; an update check on a thread of its own that nothing waits for`);
}

function enclosingMethod(node: Node, model: FileModel): Node | null {
  let fn = model.functionOf(node);
  while (fn && fn.type !== 'method_declaration') fn = model.functionOf(fn);
  return fn;
}

function namedForUpdateCheck(method: Node): boolean {
  if (UPDATE_CHECK.test(method.childForFieldName('name')?.text ?? '')) return true;
  for (let n = method.parent; n; n = n.parent) {
    if (n.type === 'class_declaration') return UPDATE_CHECK.test(n.childForFieldName('name')?.text ?? '');
  }
  return false;
}

/**
 * True when `fn` runs only on a thread or task started for it in this file: it is the body given to `new Thread`
 * or an executor (a lambda, or the run() of an anonymous Runnable), or a private method every caller of which in
 * this file does.
 */
function onItsOwnThread(fn: Node, model: FileModel, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (runsOnAnotherThread(fn, model)) return true;
  if (fn.type !== 'method_declaration') return false;
  const anonymous = fn.parent?.type === 'class_body' && fn.parent.parent?.type === 'object_creation_expression' ? fn.parent.parent : null;
  if (anonymous) return runsOnAnotherThread(anonymous, model);
  const modifiers = fn.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
  const name = fn.childForFieldName('name')?.text;
  if (!/\bprivate\b/.test(modifiers) || !name) return false;
  const callers = model
    .callsNamed(name)
    .filter(({ call }) => call.kind === 'call' && !call.receiver)
    .map(({ node }) => model.functionOf(node));
  return callers.length > 0 && callers.every((caller) => !!caller && !caller.equals(fn) && onItsOwnThread(caller, model, depth + 1));
}
