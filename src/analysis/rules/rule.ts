// What a rule is: its metadata (id, severity, docs) beside its check, as in ESLint's rule modules.
import type { Node } from 'web-tree-sitter';
import type { WorkspaceFacts } from '../facts/workspace';
import type { Confidence, RelatedLocation, Severity } from '../finding';
import type { FileModel } from '../model';
import type { Family } from '../syntax/dialect';

export const DOCS_BASE = 'https://github.com/closewait/closewait/blob/main/docs/rules';

export interface RuleMeta {
  readonly id: string;
  readonly defaultSeverity: Severity;
  /** One line, for SARIF shortDescription and listings. */
  readonly description: string;
  /** Markdown shown on hover: why it matters and a short before/after. The long form is docs/rules/<id>.md. */
  readonly docs: string;
  readonly families: readonly Family[];
}

export interface Report {
  readonly node: Node;
  readonly message: string;
  /** Overrides the rule's default severity (e.g. info for a resource that is only a hint). */
  readonly severity?: Severity;
  readonly resource?: string;
  readonly related?: readonly RelatedLocation[];
  /** Default `certain`; a finding built on a guess says `possible` and shows only in the strict profile. */
  readonly confidence?: Confidence;
  /** Why it is certain, or what was guessed (see Finding.basis). */
  readonly basis: string;
}

export interface RuleContext {
  readonly model: FileModel;
  readonly facts: WorkspaceFacts;
  report(report: Report): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  /**
   * Cheap pre-filter: when the file's text contains none of these words the rule cannot fire and the file's tree
   * is not walked at all (most files in a big repository never touch a socket).
   */
  readonly keywords: RegExp;
  check(context: RuleContext): void;
}

export function helpUri(id: string): string {
  return `${DOCS_BASE}/${id}.md`;
}
