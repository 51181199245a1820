// The thin client: starts the bundled language server, forwards the Scan Workspace command, shows the count of
// findings in the status bar, and hosts the Analyze Dump panel. The server does the work.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerDumpPanel } from './client/dump-panel';

const SCAN_COMMAND = 'closewait.scanWorkspace';
/** The server-side command behind "CloseWait: Scan Workspace" (see src/server/server.ts). */
const SERVER_SCAN_COMMAND = 'closewait.server.scanWorkspace';

let client: LanguageClient | undefined;

function findingCount(): { total: number; errors: number } {
  let total = 0;
  let errors = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source !== 'closewait') continue;
      total++;
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
    }
  }
  return { total, errors };
}

function statusBar(context: vscode.ExtensionContext): void {
  const item = vscode.window.createStatusBarItem('closewait.findings', vscode.StatusBarAlignment.Left, 10);
  item.name = 'CloseWait findings';
  item.command = 'workbench.actions.view.problems';
  const update = () => {
    const { total, errors } = findingCount();
    item.text = `$(plug) CloseWait: ${total}`;
    item.tooltip = total === 0 ? 'CloseWait: no findings' : `CloseWait: ${total} finding${total === 1 ? '' : 's'}${errors > 0 ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}. Open the Problems view.`;
    item.backgroundColor = errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  context.subscriptions.push(item, vscode.languages.onDidChangeDiagnostics(update));
  update();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('CloseWait', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['java', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel: output,
    initializationOptions: { settings: vscode.workspace.getConfiguration('closewait') },
  };
  client = new LanguageClient('closewait', 'CloseWait', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand(SCAN_COMMAND, async () => {
      if (!client) return;
      const result = await client.sendRequest<{ files: number; findings: number; cancelled: boolean } | undefined>('workspace/executeCommand', {
        command: SERVER_SCAN_COMMAND,
        arguments: [],
      });
      if (result) {
        const what = `${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.files} file${result.files === 1 ? '' : 's'}`;
        void vscode.window.showInformationMessage(`CloseWait: ${result.cancelled ? 'scan cancelled after' : 'workspace scanned:'} ${what}.`);
      }
    }),
  );
  statusBar(context);
  registerDumpPanel(context, output);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
