// Why a catalogue match is certain, or what it guessed: every finding carries this, and the default profile
// shows only certain ones.
import type { Node } from 'web-tree-sitter';
import type { Confidence } from '../finding';
import type { FileModel } from '../model';
import { insideDeprecated } from '../syntax/java';

export interface Certainty {
  readonly confidence: Confidence;
  /** "java.net.Socket (imported)", "receiver type unknown: named like a Future". */
  readonly basis: string;
}

export function certain(basis: string): Certainty {
  return { confidence: 'certain', basis };
}

export function possible(basis: string): Certainty {
  return { confidence: 'possible', basis };
}

/** Certain when `written` (a type name as the code spells it) resolves to `fqn` through the file's imports. */
export function resolvedType(written: string, fqn: string, model: FileModel): Certainty | undefined {
  return model.javaTypes.refersTo(written, fqn) ? certain(`${fqn}, resolved from the imports`) : undefined;
}

/** The weaker of two: a finding is only as certain as its least certain step. */
export function weakest(a: Certainty, b: Certainty): Certainty {
  return a.confidence === 'possible' ? a : b;
}

/**
 * Possible when `node` is inside Java `@Deprecated` code: kept for compatibility, on its way out; on real code the
 * findings there were not worth a change to its maintainers (strict profile).
 */
export function unlessDeprecated(node: Node, certainty: Certainty): Certainty {
  return insideDeprecated(node) ? possible(`${certainty.basis}; in @Deprecated code, kept for compatibility`) : certainty;
}
