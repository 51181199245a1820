// What a timeout problem is, and the terms every API family's check is written in: a requirement (a timeout and
// the setters that provide it), when a list of configuration calls meets it, and a value that disables it.
import type { Node } from 'web-tree-sitter';
import type { WorkspaceFacts } from '../facts/workspace';
import type { Configuration } from '../flow/configuration';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import type { Certainty } from './certainty';

export interface TimeoutProblem {
  /** Where the client, connection or request is created. */
  readonly node: Node;
  readonly message: string;
  /** The API family, for docs and quick fixes: `HttpURLConnection`, `fetch`, ... */
  readonly api: string;
  readonly certainty: Certainty;
}

export interface Requirement {
  /** In messages: "read timeout". */
  readonly label: string;
  /** Setter or builder method names that provide it. */
  readonly setters: RegExp;
}

/** A timeout argument that disables the timeout: `0`, `0L`, `Duration.ZERO`, `Timeout.DISABLED`. */
export function disables(arg: Node | undefined, model: FileModel): boolean {
  if (!arg) return false;
  const text = model.dialect.unwrap(arg).text.replace(/\s+/g, '');
  return /^(0+[lL]?|0\.0+|Duration\.ZERO|Duration\.ofMillis\(0+\)|Duration\.ofSeconds\(0+\)|Timeout\.DISABLED|Timeout\.INFINITE|Timeout\.ZERO_MILLISECONDS)$/.test(text);
}

/** The requirements not met by a list of configuration calls; a setter given 0 does not meet its requirement. */
export function unmet(requirements: readonly Requirement[], calls: readonly Configuration[], model: FileModel): Requirement[] {
  return requirements.filter((r) => !calls.some((c) => r.setters.test(c.name) && !disables(c.args[0], model)));
}

/** "no connect timeout and no read timeout" */
export function none(items: readonly { label: string }[]): string {
  const labels = items.map((i) => `no ${i.label}`);
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** One API family's check: the problem of a call or construction, if it is that family's and nothing bounds it. */
export type TimeoutCheck = (call: Call, model: FileModel, facts: WorkspaceFacts) => TimeoutProblem | undefined;
