// The status bar item and the quick summary it opens: findings by rule (pick one to go through its findings),
// findings hidden in test code (as the server counts them), Scan Workspace, the Problems view.
import * as vscode from 'vscode';
import { byRule, summaryRows, type Severity, type ShownFinding, type SummaryAction } from './summary-model';

export const SUMMARY_COMMAND = 'closewait.showSummary';

/** What the server adds to the summary (src/server/summary.ts); a server that does not answer counts as nothing hidden. */
export interface ServerSummary {
  readonly hiddenInTests: number;
}

interface Located extends ShownFinding {
  readonly uri: vscode.Uri;
  readonly range: vscode.Range;
}

const SEVERITY: Partial<Record<vscode.DiagnosticSeverity, Severity>> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'info',
};

function shownFindings(): Located[] {
  const out: Located[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source !== 'closewait') continue;
      const rule = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? 'closewait');
      out.push({
        rule,
        severity: SEVERITY[d.severity] ?? 'info',
        path: vscode.workspace.asRelativePath(uri),
        line: d.range.start.line + 1,
        message: d.message,
        uri,
        range: d.range,
      });
    }
  }
  return out;
}

export function registerSummary(context: vscode.ExtensionContext, serverSummary: () => Promise<ServerSummary>, scanCommand: string): void {
  const item = vscode.window.createStatusBarItem('closewait.findings', vscode.StatusBarAlignment.Left, 10);
  item.name = 'CloseWait findings';
  item.command = SUMMARY_COMMAND;
  const update = () => {
    const findings = shownFindings();
    const errors = findings.filter((f) => f.severity === 'error').length;
    item.text = `$(plug) CloseWait: ${findings.length}`;
    const what = findings.length === 0 ? 'no findings' : `${findings.length} finding${findings.length === 1 ? '' : 's'}${errors > 0 ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
    item.tooltip = `CloseWait: ${what}. Click for a summary by rule and Scan Workspace.`;
    item.backgroundColor = errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };

  const show = async () => {
    const findings = shownFindings();
    const hidden = await serverSummary().then(
      (s) => (typeof s?.hiddenInTests === 'number' ? s.hiddenInTests : 0),
      () => 0,
    );
    type Item = vscode.QuickPickItem & { action?: SummaryAction };
    const items: Item[] = summaryRows(findings, hidden).map((row) =>
      row.separator ? { label: row.label, kind: vscode.QuickPickItemKind.Separator } : { label: row.label, description: row.description, detail: row.detail, action: row.action },
    );
    const picked = await vscode.window.showQuickPick(items, { title: 'CloseWait', placeHolder: 'Findings by rule: pick one to go through them' });
    switch (picked?.action?.kind) {
      case 'rule':
        await showRule(picked.action.rule, findings);
        break;
      case 'hidden':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'closewait.testCode');
        break;
      case 'scan':
        await vscode.commands.executeCommand(scanCommand);
        break;
      case 'problems':
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        break;
    }
  };

  context.subscriptions.push(item, vscode.languages.onDidChangeDiagnostics(update), vscode.commands.registerCommand(SUMMARY_COMMAND, show));
  update();
}

/** The findings of one rule, most severe first; picking one opens it. */
async function showRule(rule: string, findings: readonly Located[]): Promise<void> {
  const group = byRule(findings).find((g) => g.rule === rule);
  if (!group) return;
  const items = (group.findings as readonly Located[]).map((f) => ({ label: `${f.path}:${f.line}`, description: f.severity, detail: f.message, finding: f }));
  const picked = await vscode.window.showQuickPick(items, { title: `CloseWait: ${rule} (${group.counts})`, matchOnDetail: true });
  if (!picked) return;
  const { range } = picked.finding;
  const editor = await vscode.window.showTextDocument(picked.finding.uri);
  // The flagged code selected, the cursor at its start (where the squiggle and its hover begin).
  editor.selection = new vscode.Selection(range.end, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
