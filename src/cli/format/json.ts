// The JSON contract every other part and external checks rely on: keep these names.
import type { Finding } from '../../analysis/finding';
import { VERSION } from '../../version';
import type { ScanReport } from '../scan';

export function findingJson(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.related ? { related: f.related } : {}),
    confidence: f.confidence,
    basis: f.basis,
    fingerprint: f.fingerprint,
  };
}

export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(
    {
      tool: 'closewait',
      version: VERSION,
      findings: report.findings.map(findingJson),
      summary: {
        files: report.files,
        skipped: report.skipped,
        parseErrors: report.syntaxErrors.length,
        syntaxErrors: report.syntaxErrors,
        ruleFailures: report.failures,
        hidden: report.hidden,
        ms: report.ms,
      },
    },
    null,
    2,
  )}\n`;
}
