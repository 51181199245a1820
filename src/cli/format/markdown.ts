// A review comment in GitHub-flavoured Markdown: a heading with the counts, then one table per file with links to
// the rule docs. Meant to be posted on a pull request as is (gh pr comment --body-file, a bot, a job summary).
import type { Finding, Severity } from '../../analysis/finding';
import { helpUri } from '../../analysis/rules/rule';
import { VERSION } from '../../version';
import type { ScanReport } from '../scan';
import { describeHidden } from './hidden';

export interface MarkdownOptions {
  /** The path to show: relative to the repository root where there is one. */
  readonly path: (file: string) => string;
  /** The findings are what a change adds (diff base or baseline applied), not everything in the code. */
  readonly onlyNew: boolean;
  /** Findings left out: in code the change did not touch, and accepted in the baseline. */
  readonly untouched: number;
  readonly accepted: number;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** Table cells: a pipe would end the cell, a newline the row, and `<`/`>` would be read as HTML (`Future<T>`). */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** A path inside backticks: a backtick in the name would close the code span early. */
function codeSpan(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function counts(findings: readonly Finding[]): string {
  return (['error', 'warning', 'info'] as const satisfies readonly Severity[])
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => (s === 'info' ? `${n} info` : plural(n, s)))
    .join(', ');
}

function row(f: Finding, options: MarkdownOptions): string {
  const related = (f.related ?? []).map((r) => `<br>↳ ${escapeCell(r.message)} (${codeSpan(`${options.path(r.file)}:${r.line}`)})`).join('');
  const rule = `[${f.rule}](${helpUri(f.rule)})`;
  return `| ${f.line} | ${f.severity} | ${rule} | ${escapeCell(f.message)}${related} |`;
}

function footer(report: ScanReport, options: MarkdownOptions): string {
  const notShown = [
    options.untouched > 0 ? `${plural(options.untouched, 'finding')} in code this change does not touch` : '',
    options.accepted > 0 ? `${options.accepted.toLocaleString('en-US')} accepted in the baseline` : '',
  ].filter(Boolean);
  const hidden = describeHidden(report.hidden);
  const parts = [
    `CloseWait ${VERSION}`,
    `${plural(report.files, 'file')} scanned`,
    ...(notShown.length > 0 ? [`not shown: ${notShown.join(', ')}`] : []),
    ...(hidden ? [hidden] : []),
  ];
  return `<sub>${parts.join(' · ')}</sub>`;
}

export function formatMarkdown(report: ScanReport, options: MarkdownOptions): string {
  const findings = report.findings;
  const adjective = options.onlyNew ? 'new ' : '';
  const out: string[] = [];
  if (findings.length === 0) {
    out.push(`## CloseWait: no ${adjective}findings`, '');
    out.push(
      options.onlyNew
        ? '✅ Nothing in this change leaves a socket open, waits without a limit or calls its own server, as far as CloseWait can tell.'
        : '✅ Nothing here leaves a socket open, waits without a limit or calls its own server, as far as CloseWait can tell.',
    );
  } else {
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const noun = findings.length === 1 ? `${adjective}finding` : `${adjective}findings`;
    out.push(`## CloseWait: ${findings.length.toLocaleString('en-US')} ${noun} (${counts(findings)}) in ${plural(byFile.size, 'file')}`);
    for (const [file, inFile] of byFile) {
      out.push('', `### ${codeSpan(options.path(file))}`, '', '| Line | Severity | Rule | Message |', '| ---: | --- | --- | --- |');
      for (const f of inFile) out.push(row(f, options));
    }
  }
  out.push('', footer(report, options));
  return `${out.join('\n')}\n`;
}
