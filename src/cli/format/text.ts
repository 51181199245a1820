// The human format: findings grouped by file, then one summary line. Names and messages pass through src/dump/escape.ts:
// a file name can hold any character but `/` and NUL, escape sequences included.
import type { Finding, Severity } from '../../analysis/finding';
import type { ScanReport } from '../scan';
import { quoteName, safeText } from '../../dump/escape';
import { describeHidden } from './hidden';

export interface TextStyle {
  readonly color: boolean;
}

const COLORS: Record<Severity | 'dim' | 'bold', string> = { error: '31', warning: '33', info: '36', dim: '2', bold: '1' };

function paint(style: TextStyle, color: keyof typeof COLORS, text: string): string {
  return style.color ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(report: ScanReport, style: TextStyle): string {
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of byFile) {
    out.push(paint(style, 'bold', quoteName(file)));
    const width = Math.max(...findings.map((f) => `${f.line}:${f.column}`.length));
    for (const f of findings) {
      const where = `${f.line}:${f.column}`.padEnd(width);
      out.push(`  ${paint(style, 'dim', where)}  ${paint(style, f.severity, f.severity.padEnd(7))}  ${safeText(f.message)}  ${paint(style, 'dim', f.rule)}`);
      for (const r of f.related ?? []) out.push(`  ${' '.repeat(width)}  ${' '.repeat(7)}  ${paint(style, 'dim', `↳ ${quoteName(r.file)}:${r.line} ${safeText(r.message)}`)}`);
    }
    out.push('');
  }
  if (report.skipped.length > 0) {
    out.push(paint(style, 'dim', `Skipped ${plural(report.skipped.length, 'file')}:`));
    for (const s of report.skipped.slice(0, 20)) out.push(paint(style, 'dim', `  ${quoteName(s.file)}: ${safeText(s.reason)}`));
    if (report.skipped.length > 20) out.push(paint(style, 'dim', `  … and ${report.skipped.length - 20} more`));
    out.push('');
  }
  if (report.syntaxErrors.length > 0) {
    out.push(paint(style, 'dim', `Syntax errors in ${plural(report.syntaxErrors.length, 'file')} (analysed where they parse):`));
    for (const e of report.syntaxErrors.slice(0, 20)) {
      const where = e.line !== undefined ? `:${e.line}` : '';
      const more = e.errors > 1 ? ` (${plural(e.errors, 'error')}, the first here)` : '';
      out.push(paint(style, 'dim', `  ${quoteName(e.file)}${where}${more}`));
    }
    if (report.syntaxErrors.length > 20) out.push(paint(style, 'dim', `  … and ${report.syntaxErrors.length - 20} more`));
    out.push('');
  }
  for (const failure of report.failures) out.push(paint(style, 'error', `rule ${failure.rule} failed on ${quoteName(failure.file)}: ${safeText(failure.message)}`));
  const counts = (['error', 'warning', 'info'] as const)
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => (s === 'info' ? `${n} info` : plural(n, s)));
  const found =
    report.findings.length === 0
      ? paint(style, 'bold', 'No findings')
      : paint(style, 'bold', `${plural(report.findings.length, 'finding')} (${counts.join(', ')}) in ${plural(byFile.size, 'file')}`);
  const parse = report.syntaxErrors.length > 0 ? `, ${plural(report.syntaxErrors.length, 'file')} with syntax errors` : '';
  const hidden = describeHidden(report.hidden);
  out.push(`${found} · ${plural(report.files, 'file')} scanned in ${report.ms.toLocaleString('en-US')} ms${parse}${hidden ? ` · ${hidden}` : ''}`);
  return `${out.join('\n')}\n`;
}
