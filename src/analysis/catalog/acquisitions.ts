// What a call acquires, whatever the language: the one entry point the rule, the quick fixes and the docs share.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import type { Certainty } from './certainty';
import { matchJava } from './java-acquisitions';
import { matchJs } from './js-acquisitions';
import type { ResourceKind } from './resources';

/** A value the catalogue recognises as a freshly acquired resource. */
export interface Acquisition {
  readonly kind: ResourceKind;
  /** How sure the match is: a resolved import, or a guess from a name. */
  readonly certainty: Certainty;
  /** The expression that creates or obtains the resource: where the finding is reported. */
  readonly node: Node;
  /** For resources handed to a callback (`http.get(url, res => ...)`): the callback that receives them. */
  readonly callback?: Node;
  /** Which of the callback's parameters holds the resource (0 when absent). */
  readonly parameter?: number;
  /** For a resource returned by a same-file helper (`fetchPage(url)`): the helper, named in messages. */
  readonly via?: { readonly name: string };
}

/** The resources a call or construction acquires (several for `http.request(opts, res => ...)`). */
export function acquisitionsAt(call: Call, model: FileModel): Acquisition[] {
  if (model.isJava) {
    const match = matchJava(call, model);
    return match ? [{ ...match, node: call.node }] : [];
  }
  return matchJs(call, model);
}
