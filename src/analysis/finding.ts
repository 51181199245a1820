// Findings are plain data: what every face (CLI, language server, review formats) renders its own way.

export type Severity = 'error' | 'warning' | 'info';

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
  /** Stable across unrelated line shifts: rule + enclosing function + normalised flagged source. */
  readonly fingerprint: string;
}
