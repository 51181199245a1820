// GitHub Actions workflow commands: the runner turns each `::error file=...::message` line of a step's output into
// an annotation on the pull request's diff. https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Finding, Severity } from '../../analysis/finding';
import type { ScanReport } from '../scan';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** The message part: only what would end the command or be read as an escape. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also the separators between properties (`,`) and before the message (`::`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface GithubOptions {
  /** The path GitHub should annotate: relative to the repository root. */
  readonly path: (file: string) => string;
}

function annotation(f: Finding, options: GithubOptions): string {
  const properties: [string, string | number][] = [
    ['file', options.path(f.file)],
    ['line', f.line],
  ];
  // GitHub accepts columns only for an annotation on a single line; a multi-line one keeps its lines.
  if (f.line === f.endLine) properties.push(['col', f.column], ['endLine', f.endLine], ['endColumn', f.endColumn]);
  else properties.push(['endLine', f.endLine]);
  properties.push(['title', `closewait ${f.rule}`]);
  const list = properties.map(([name, value]) => `${name}=${escapeProperty(String(value))}`).join(',');
  return `::${COMMAND[f.severity]} ${list}::${escapeData(f.message)}`;
}

export function formatGithub(report: ScanReport, options: GithubOptions): string {
  return report.findings.map((f) => `${annotation(f, options)}\n`).join('');
}
