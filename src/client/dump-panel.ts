// The Analyze Dump panel's host side: the four commands (one opens the bundled sample incident), the webview (page, CSP,
// restore after a reload), inputs from other commands (a capture) and the panel's requests: open a frame's source,
// copy the Markdown report, save the JSON report, read dropped files. The analysis itself runs in the panel's Web
// Worker, never here.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { decodeDumpBytes } from '../dump/index';
import { panelHtml } from '../panel/html';
import { INPUT_SLOTS, isPanelToHost, routeMessage, type FrameRef, type HostToPanel, type InputSlot, type NoticeLevel } from '../panel/protocol';
import { chooseFrameTarget, frameSearchGlob, type FrameCandidate } from './frame-resolver';
import { inputSlotFor } from './input-slot';

const VIEW_TYPE = 'closewait.dumpPanel';
const TITLE = 'Analyze Dump';
/** Dropped files beyond this are refused: the panel would hold them in memory twice. */
const MAX_DROPPED_BYTES = 1024 * 1024 * 1024;
const MAX_SEARCH_RESULTS = 500;

/** What other commands (Capture from Process) do with the panel. */
export interface DumpPanelApi {
  /** Opens the panel with these inputs in place of what it held; it analyses them at once. */
  showInputs(inputs: Record<InputSlot, { name: string; text: string }>): void;
}

export function registerDumpPanel(context: vscode.ExtensionContext, output: vscode.OutputChannel): DumpPanelApi {
  let current: DumpPanel | undefined;

  const show = (): DumpPanel => {
    if (current !== undefined) {
      current.panel.reveal(undefined, true);
      return current;
    }
    const column = vscode.window.activeTextEditor !== undefined ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, column, {
      ...webviewOptions(context),
      // A 100 MB paste is too large for the saved state (see src/panel/state.ts): keep the page alive while hidden
      // so switching tabs during an incident never loses it.
      retainContextWhenHidden: true,
      enableFindWidget: true,
    });
    return adopt(panel);
  };

  const adopt = (panel: vscode.WebviewPanel): DumpPanel => {
    const dumpPanel = new DumpPanel(panel, context, output);
    current = dumpPanel;
    panel.onDidDispose(() => {
      if (current === dumpPanel) current = undefined;
    });
    return dumpPanel;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('closewait.analyzeDump', () => {
      show();
    }),
    vscode.commands.registerCommand('closewait.analyzeSampleIncident', async () => {
      // The original incident (a Tomcat self-call deadlock), shipped in media/sample/: the walkthrough's example.
      const panel = show();
      for (const [slot, file] of [['threads', 'jstack.txt'], ['sockets', 'netstat.txt']] as const) {
        const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'media', 'sample', file));
        panel.send({ type: 'setInput', slot, name: `sample ${file}`, text: decodeDumpBytes(bytes) });
      }
    }),
    vscode.commands.registerCommand('closewait.analyzeDumpFromSelection', () => {
      const editor = vscode.window.activeTextEditor;
      const text = editor?.selections
        .filter((s) => !s.isEmpty)
        .map((s) => editor.document.getText(s))
        .join('\n');
      if (editor === undefined || text === undefined || text === '') {
        void vscode.window.showInformationMessage('CloseWait: select the thread dump or socket listing to analyse first.');
        return;
      }
      show().send(textInput(editor.document, text, `${documentName(editor.document)} (selection)`));
    }),
    vscode.commands.registerCommand('closewait.analyzeDumpFromFile', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (target === undefined) {
        void vscode.window.showInformationMessage('CloseWait: open the thread dump or socket listing to analyse first.');
        return;
      }
      // An open document may have unsaved edits: its text is what the user sees.
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
      if (open !== undefined) {
        show().send(textInput(open, open.getText(), documentName(open)));
        return;
      }
      const bytes = await readLimited(target);
      if (typeof bytes === 'string') {
        void vscode.window.showWarningMessage(`CloseWait: ${bytes}`);
        return;
      }
      const slot = inputSlotFor('', decodeDumpBytes(bytes.subarray(0, 64 * 1024)));
      show().send({ type: 'setInputBytes', slot, name: basename(target.path), bytes });
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      // After a window reload: the page restores its own inputs and selection from the webview state.
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        panel.webview.options = webviewOptions(context);
        adopt(panel);
      },
    }),
  );
  return {
    showInputs: (inputs) => {
      const panel = show();
      for (const slot of INPUT_SLOTS) panel.send({ type: 'setInput', slot, name: inputs[slot].name, text: inputs[slot].text });
    },
  };
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')] };
}

function documentName(document: vscode.TextDocument): string {
  return document.isUntitled ? document.uri.path : basename(document.uri.path);
}

function textInput(document: vscode.TextDocument, text: string, name: string): HostToPanel {
  return { type: 'setInput', slot: inputSlotFor(document.languageId, text), name, text };
}

async function readLimited(uri: vscode.Uri): Promise<Uint8Array | string> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return `${basename(uri.path)} is a folder.`;
    if (stat.size > MAX_DROPPED_BYTES) return `${basename(uri.path)} is larger than 1 GB.`;
    return await vscode.workspace.fs.readFile(uri);
  } catch (error) {
    return `cannot read ${basename(uri.path)}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

class DumpPanel {
  private ready = false;
  private readonly queue: HostToPanel[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {
    panel.webview.html = this.html();
    const listener = panel.webview.onDidReceiveMessage(
      (message: unknown) =>
        routeMessage(message, isPanelToHost, {
          ready: () => this.flush(),
          openFrame: (m) => this.openFrame(m),
          copyMarkdown: (m) => this.copyMarkdown(m.markdown),
          exportJson: (m) => this.exportJson(m.json),
          readDroppedUris: (m) => this.readDropped(m.slot, m.uris),
          log: (m) => this.output.appendLine(`[${m.level}] ${m.text}`),
        })
          .then((handled) => {
            if (!handled) this.output.appendLine('Analyze Dump: ignored a message of unknown shape from the panel.');
          })
          .catch((error: unknown) => this.notify('error', `CloseWait: ${error instanceof Error ? error.message : String(error)}`)),
    );
    panel.onDidDispose(() => listener.dispose());
  }

  /** Messages wait until the page says it is ready: one posted earlier would be lost. */
  send(message: HostToPanel): void {
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  private flush(): void {
    this.ready = true;
    for (const message of this.queue.splice(0)) void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', file)).toString();
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: media('panel.js'),
      styleUri: media('panel.css'),
      workerUri: media('worker.js'),
    });
  }

  private notify(level: NoticeLevel, text: string): void {
    this.send({ type: 'notice', level, text: text.replace(/^CloseWait: /, '') });
    if (level === 'error') void vscode.window.showErrorMessage(text);
    else if (level === 'warning') void vscode.window.showWarningMessage(text);
  }

  private async openFrame(frame: FrameRef): Promise<void> {
    const glob = frameSearchGlob(frame);
    const found = glob === null ? [] : await vscode.workspace.findFiles(glob, '**/node_modules/**', MAX_SEARCH_RESULTS);
    const byPath = new Map(found.map((uri) => [uri.path, uri]));
    const target = chooseFrameTarget(frame, [...byPath.keys()]);
    const where = `${frame.class}.${frame.method}(${frame.file ?? 'Unknown Source'}${frame.line !== null ? `:${frame.line}` : ''})`;
    if (target.kind === 'none') {
      const pkg = target.packageName !== '' ? ` of package ${target.packageName}` : '';
      this.notify(
        'warning',
        `CloseWait: ${target.fileName ?? 'the source file'}${pkg} is not in this workspace, so ${where} cannot be opened. It may be library code, or the sources of this service are not open.`,
      );
      return;
    }
    let candidate: FrameCandidate | undefined = target.kind === 'open' ? target.candidate : undefined;
    if (target.kind === 'choose') {
      const picked = await vscode.window.showQuickPick(
        target.candidates.map((c) => ({
          label: basename(c.path),
          description: vscode.workspace.asRelativePath(byPath.get(c.path) ?? c.path),
          detail: c.exactPackage ? 'folder matches the package' : `${c.packageMatch} package folder${c.packageMatch === 1 ? '' : 's'} match`,
          candidate: c,
        })),
        { title: `Open ${where}`, placeHolder: `${target.candidates.length} files could be ${target.candidates[0].path.split('/').pop()}: choose one` },
      );
      candidate = picked?.candidate;
    }
    const uri = candidate !== undefined ? byPath.get(candidate.path) : undefined;
    if (uri === undefined) return;
    const document = await vscode.workspace.openTextDocument(uri);
    const line = Math.min(Math.max((target.line ?? 1) - 1, 0), document.lineCount - 1);
    const range = document.lineAt(line).range;
    const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column, selection: range, preview: true });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async copyMarkdown(markdown: string): Promise<void> {
    await vscode.env.clipboard.writeText(markdown);
    this.notify('info', 'Copied the report as Markdown.');
  }

  private async exportJson(json: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const name = `closewait-dump-${stamp}.json`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder !== undefined ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { JSON: ['json'] },
      saveLabel: 'Export',
      title: 'Export the dump analysis as JSON',
    });
    if (target === undefined) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(json));
    this.notify('info', `Saved the report to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private async readDropped(slot: InputSlot, uriTexts: readonly string[]): Promise<void> {
    const uris: vscode.Uri[] = [];
    for (const text of uriTexts) {
      let uri: vscode.Uri;
      try {
        uri = vscode.Uri.parse(text, true);
      } catch {
        continue;
      }
      // Only schemes a file system serves (file, remote, virtual workspaces): a dropped link is not read.
      if (vscode.workspace.fs.isWritableFileSystem(uri.scheme) === undefined) continue;
      uris.push(uri);
    }
    if (uris.length === 0) {
      this.notify('warning', 'CloseWait: the dropped item is not a file this window can read.');
      return;
    }
    const read: { name: string; bytes: Uint8Array }[] = [];
    for (const uri of uris) {
      const bytes = await readLimited(uri);
      if (typeof bytes === 'string') {
        this.notify('warning', `CloseWait: ${bytes}`);
        return;
      }
      read.push({ name: basename(uri.path), bytes });
    }
    const name = read.map((r) => r.name).join(' + ');
    // One file: its bytes are decoded in the panel's worker. Several: each has its own encoding, so decode each here.
    if (read.length === 1) this.send({ type: 'setInputBytes', slot, name, bytes: read[0].bytes });
    else this.send({ type: 'setInput', slot, name, text: read.map((r) => decodeDumpBytes(r.bytes)).join('\n') });
  }
}
