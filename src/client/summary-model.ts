// The status bar's quick summary as data: findings by rule (most severe rule first), the counts in words, and the
// rows the quick pick shows. No `vscode` here: the client turns rows into quick pick items, tests read them as is.
export type Severity = 'error' | 'warning' | 'info';

/** A CloseWait diagnostic as the client sees it. */
export interface ShownFinding {
  readonly rule: string;
  readonly severity: Severity;
  /** Where it is, for the user: workspace-relative path and 1-based line. */
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

export interface RuleGroup {
  readonly rule: string;
  readonly findings: readonly ShownFinding[];
  /** "1 error, 2 warnings" */
  readonly counts: string;
  readonly worst: Severity;
}

const ORDER: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function countsText(findings: readonly ShownFinding[]): string {
  return (['error', 'warning', 'info'] as const)
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => (s === 'info' ? `${n.toLocaleString('en-US')} info` : plural(n, s)))
    .join(', ');
}

/** Findings grouped by rule: the rule with the most severe finding first, then the one with most findings. */
export function byRule(findings: readonly ShownFinding[]): RuleGroup[] {
  const groups = new Map<string, ShownFinding[]>();
  for (const f of findings) groups.set(f.rule, [...(groups.get(f.rule) ?? []), f]);
  return [...groups.entries()]
    .map(([rule, list]) => {
      const sorted = [...list].sort((a, b) => ORDER[b.severity] - ORDER[a.severity] || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
      return { rule, findings: sorted, counts: countsText(sorted), worst: sorted[0].severity };
    })
    .sort((a, b) => ORDER[b.worst] - ORDER[a.worst] || b.findings.length - a.findings.length || a.rule.localeCompare(b.rule));
}

export type SummaryAction = { kind: 'rule'; rule: string } | { kind: 'hidden' } | { kind: 'scan' } | { kind: 'problems' };

export interface SummaryRow {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  /** Rows without an action are section separators. */
  readonly action?: SummaryAction;
  readonly separator?: boolean;
}

/** The quick pick: one row per rule, the findings hidden in test code when there are any, then the actions. */
export function summaryRows(findings: readonly ShownFinding[], hiddenInTests: number): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const groups = byRule(findings);
  rows.push({ label: findings.length === 0 ? 'No findings in open or scanned files' : `${plural(findings.length, 'finding')} (${countsText(findings)})`, separator: true });
  for (const g of groups) {
    const icon = g.worst === 'error' ? '$(error)' : g.worst === 'warning' ? '$(warning)' : '$(info)';
    const files = new Set(g.findings.map((f) => f.path)).size;
    rows.push({ label: `${icon} ${g.rule}`, description: `${g.counts} in ${plural(files, 'file')}`, detail: g.findings[0].message, action: { kind: 'rule', rule: g.rule } });
  }
  if (hiddenInTests > 0) {
    rows.push({
      label: `$(eye-closed) ${plural(hiddenInTests, 'finding')} hidden in test code`,
      description: 'closewait.testCode',
      detail: 'Test code is not shown by default; change the setting to see these findings.',
      action: { kind: 'hidden' },
    });
  }
  rows.push({ label: 'Actions', separator: true });
  rows.push({ label: '$(search) Scan Workspace', description: 'check every file, not only the open ones', action: { kind: 'scan' } });
  rows.push({ label: '$(list-flat) Open the Problems view', action: { kind: 'problems' } });
  return rows;
}
