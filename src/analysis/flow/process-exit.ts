// A call whose own statement ends the process when it settles (`fetch(url).then(() => process.exit(0))`) belongs
// to a one-shot command: a missing timeout hangs a terminal whose user can press Ctrl-C, and an unread body dies
// with the process a moment later. Neither is a server's CLOSE_WAIT pile, so such findings are strict-only.
import type { Node } from 'web-tree-sitter';
import { possible, type Certainty } from '../catalog/certainty';
import type { FileModel } from '../model';

const EXITS = /\bprocess\.exit\s*\(/;

/** True when the statement that makes the call (its callbacks included) calls process.exit. */
export function exitsWhenSettled(node: Node, model: FileModel): boolean {
  if (model.isJava || !EXITS.test(model.file.text)) return false;
  let statement: Node | null = node;
  while (statement && !model.dialect.isStatement(statement)) statement = statement.parent;
  return !!statement && EXITS.test(statement.text);
}

/** `certainty`, or a possible one when the process exits as the call settles. */
export function unlessProcessExits(node: Node, model: FileModel, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || !exitsWhenSettled(node, model)) return certainty;
  return possible(`${certainty.basis}; the process exits when this call settles (a one-shot command)`);
}
