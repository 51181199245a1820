// Findings are plain data: what every face (CLI, language server, review formats) renders its own way.

export type Severity = 'error' | 'warning' | 'info';

/**
 * How sure a finding is. `certain`: the API was resolved (an import, a declared type, a module) and the problem was
 * shown on a path of this code. `possible`: something was guessed (a name, a call shape, an unseen caller); such
 * findings only show in the `strict` profile.
 */
export type Confidence = 'certain' | 'possible';

export const SEVERITY_ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface RelatedLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** Workspace-relative path with forward slashes. */
  readonly file: string;
  /** 1-based line and column (UTF-16 code units) of the start; end is exclusive. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  /** The API type involved, e.g. `org.apache.http.client.methods.CloseableHttpResponse`. */
  readonly resource?: string;
  readonly related?: readonly RelatedLocation[];
  readonly confidence: Confidence;
  /** Why the finding is certain, or what was guessed: "org.apache.http.client.methods.CloseableHttpResponse (imported)". */
  readonly basis: string;
  /** Stable across unrelated line shifts: rule + enclosing function + normalised flagged source. */
  readonly fingerprint: string;
}
