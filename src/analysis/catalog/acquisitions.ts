// What a call acquires, whatever the language: the one entry point the rule, the quick fixes and the docs share.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import type { Certainty } from './certainty';
import { matchJava } from './java-acquisitions';
import { javaMayAcquireItself } from './java-call-names';
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

const NONE: readonly Acquisition[] = [];

/** Each file's answers by call node: the rule, the helper summaries and the field passes ask about the same calls. */
const answers = new WeakMap<FileModel, Map<number, readonly Acquisition[]>>();

/** The resources a call or construction acquires (several for `http.request(opts, res => ...)`). */
export function acquisitionsAt(call: Call, model: FileModel): readonly Acquisition[] {
  let known = answers.get(model);
  if (!known) answers.set(model, (known = new Map()));
  let found = known.get(call.node.id);
  if (!found) {
    found = model.isJava ? javaAcquisitions(call, model) : matchJs(call, model);
    known.set(call.node.id, found.length > 0 ? found : NONE);
  }
  return found;
}

function javaAcquisitions(call: Call, model: FileModel): Acquisition[] {
  const match = matchJava(call, model);
  return match ? [{ ...match, node: call.node }] : [];
}

const acquiring = new WeakMap<FileModel, boolean>();

/**
 * Whether some call of the file acquires a resource itself; asked of a whole-file model only (see
 * FileModel.wholeFile), whose candidates are every call. Without one, no helper of the file can hand one back (see
 * flow/helpers.ts): the answer spares looking for helpers in the many files that acquire nothing.
 */
export function fileAcquires(model: FileModel): boolean {
  let known = acquiring.get(model);
  if (known === undefined) {
    known = (!model.isJava || javaMayAcquireItself(model.file.text)) && model.candidates().some(({ call }) => acquisitionsAt(call, model).length > 0);
    acquiring.set(model, known);
  }
  return known;
}
