// A review comment in GitHub-flavoured Markdown: a heading with the counts, then one table per file with links to
// the rule docs, the most severe first; past 20 findings the rest sit in a collapsed section. Meant to be posted on
// a pull request as is (gh pr comment --body-file, a bot, a job summary). File names are untrusted text: a pull
// request chooses them, so they only ever appear inside code spans.
import { SEVERITY_ORDER, type Finding, type Severity } from '../../analysis/finding';
import { helpUri } from '../../analysis/rules/rule';
import { VERSION } from '../../version';
import type { ScanReport } from '../scan';
import { codeSpan, safeText } from '../../dump/escape';
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

/**
 * Table cells: a pipe would end the cell, a newline the row, and `<`/`>` would be read as HTML (`Future<T>`); other
 * control characters (from a file name inside a message) are escaped as quote.ts does.
 */
export function escapeCell(text: string): string {
  return safeText(
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\\/g, '\\\\')
      .replace(/\|/g, '\\|')
      .replace(/\r?\n/g, '<br>'),
  );
}

function counts(findings: readonly Finding[]): string {
  return (['error', 'warning', 'info'] as const satisfies readonly Severity[])
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => (s === 'info' ? `${n} info` : plural(n, s)))
    .join(', ');
}

function row(f: Finding, options: MarkdownOptions): string {
  const related = (f.related ?? []).map((r) => `<br>↳ ${escapeCell(r.message)} (${codeSpan(`${options.path(r.file)}:${r.line}`, true)})`).join('');
  const rule = `[${f.rule}](${helpUri(f.rule)})`;
  return `| ${f.line} | ${f.severity} | ${rule} | ${escapeCell(f.message)}${related} |`;
}

/** Findings shown before the rest is folded away: a review comment should fit on a screen or two. */
export const SHOWN = 20;

/**
 * Files ordered by their most severe finding (then by how many findings, then by path), each file's findings by
 * severity, then line: a reviewer reads the errors first.
 */
function mostSevereFirst(findings: readonly Finding[]): Finding[] {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const worst = (list: readonly Finding[]) => Math.max(...list.map((f) => SEVERITY_ORDER[f.severity]));
  const severityThenLine = (a: Finding, b: Finding) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity] || a.line - b.line || a.column - b.column;
  return [...byFile.entries()]
    .sort(([fileA, a], [fileB, b]) => worst(b) - worst(a) || b.length - a.length || (fileA < fileB ? -1 : fileA > fileB ? 1 : 0))
    .flatMap(([, list]) => [...list].sort(severityThenLine));
}

/** One heading and table per run of findings of the same file. */
function fileTables(findings: readonly Finding[], options: MarkdownOptions): string[] {
  const out: string[] = [];
  findings.forEach((f, i) => {
    if (i === 0 || findings[i - 1].file !== f.file) {
      out.push('', `### ${codeSpan(options.path(f.file))}`, '', '| Line | Severity | Rule | Message |', '| ---: | --- | --- | --- |');
    }
    out.push(row(f, options));
  });
  return out;
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
    const files = new Set(findings.map((f) => f.file)).size;
    const noun = findings.length === 1 ? `${adjective}finding` : `${adjective}findings`;
    out.push(`## CloseWait: ${findings.length.toLocaleString('en-US')} ${noun} (${counts(findings)}) in ${plural(files, 'file')}`);
    const ordered = mostSevereFirst(findings);
    out.push(...fileTables(ordered.slice(0, SHOWN), options));
    const rest = ordered.slice(SHOWN);
    if (rest.length > 0) {
      const restFiles = new Set(rest.map((f) => f.file)).size;
      out.push('', '<details>', `<summary>${plural(rest.length, `more ${adjective}finding`)} (${counts(rest)}) in ${plural(restFiles, 'file')}</summary>`);
      out.push(...fileTables(rest, options), '', '</details>');
    }
  }
  out.push('', footer(report, options));
  return `${out.join('\n')}\n`;
}
