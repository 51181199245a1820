// Findings as LSP diagnostics: code = rule id with a link to its docs, source "closewait", related information.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../analysis/finding';
import { helpUri } from '../analysis/rules/rule';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Data kept on each diagnostic so code actions can find the finding again. */
export interface DiagnosticData {
  readonly rule: string;
  readonly fingerprint: string;
  readonly resource?: string;
}

export function toDiagnostic(finding: Finding, uriOf: (path: string) => string): Diagnostic {
  const data: DiagnosticData = { rule: finding.rule, fingerprint: finding.fingerprint, resource: finding.resource };
  return {
    range: {
      start: { line: finding.line - 1, character: finding.column - 1 },
      end: { line: finding.endLine - 1, character: finding.endColumn - 1 },
    },
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: helpUri(finding.rule) },
    source: 'closewait',
    message: finding.message,
    relatedInformation: finding.related?.map((r) => ({
      location: { uri: uriOf(r.file), range: { start: { line: r.line - 1, character: 0 }, end: { line: r.line - 1, character: 0 } } },
      message: r.message,
    })),
    data,
  };
}
