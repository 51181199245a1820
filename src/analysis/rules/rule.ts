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
  /** Why it matters, in two lines of Markdown: the hover's opening. */
  readonly why: string;
  /** Why it matters, in full (Markdown, no code): SARIF's help beside the examples. The long form is docs/rules/<id>.md. */
  readonly docs: string;
  /** A short before/after per language family: a hover shows the one of the finding's language. */
  readonly examples: Readonly<Partial<Record<Family, RuleExample>>>;
  readonly families: readonly Family[];
}

export interface RuleExample {
  /** The code fence's language: `java`, `ts`. */
  readonly language: string;
  readonly before: string;
  readonly after: string;
}

/** One example as a fenced block: `// before`, the code, `// after`, the fix. */
export function exampleMarkdown(example: RuleExample): string {
  return ['```' + example.language, '// before', example.before, '// after', example.after, '```'].join('\n');
}

/** The rule's whole explanation: why, then every language's before/after (SARIF's help). */
export function ruleMarkdown(meta: RuleMeta): string {
  return [meta.docs, ...Object.values(meta.examples).map((e) => exampleMarkdown(e))].join('\n\n');
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
  /** More words from the workspace facts that make the rule worth running: the names of the project's own factories. */
  readonly workspaceKeywords?: (facts: WorkspaceFacts) => RegExp | undefined;
  check(context: RuleContext): void;
}

export function helpUri(id: string): string {
  return `${DOCS_BASE}/${id}.md`;
}
