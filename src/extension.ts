// The thin client: starts the bundled language server, forwards the Scan Workspace command, shows the count of
// findings in the status bar (a click opens the summary by rule), hosts the Analyze Dump panel and captures from a
// running process into it. The server does the work.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CONFIG_FILES_GLOB } from './analysis/facts/config-glob';
import { registerCapture } from './client/capture';
import { registerDumpPanel } from './client/dump-panel';
import { registerSummary, type ServerSummary } from './client/summary';

const SCAN_COMMAND = 'closewait.scanWorkspace';
/** The server-side command behind "CloseWait: Scan Workspace" (see src/server/server.ts). */
const SERVER_SCAN_COMMAND = 'closewait.server.scanWorkspace';
/** The server's request behind the status bar's summary (see src/server/summary.ts). */
const SUMMARY_REQUEST = 'closewait/summary';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('CloseWait', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...['java', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'].flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // Configuration files too: the server reads their saves (a new server.port) without waiting for the file watcher.
      { scheme: 'file', pattern: CONFIG_FILES_GLOB },
    ],
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
  registerSummary(context, async () => (client ? client.sendRequest<ServerSummary>(SUMMARY_REQUEST) : { hiddenInTests: 0 }), SCAN_COMMAND);
  registerCapture(context, output, registerDumpPanel(context, output));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
