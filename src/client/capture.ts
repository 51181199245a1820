// "CloseWait: Capture from Process...": pick a JVM or Node.js process of this machine (or a Docker container, a
// Kubernetes pod), the number of dumps and the interval; the capture runs with a cancellable progress, its files land
// in the workspace's .closewait/captures/ (for the incident ticket) and open in the Analyze Dump panel, analysed.
import { existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import {
  analyzeCapture,
  capture,
  CaptureError,
  captureFolderName,
  CAPTURES_FOLDER,
  DEFAULT_TOOLS,
  displayName,
  formatMs,
  listeningPorts,
  localCandidates,
  parseDuration,
  Runner,
  spawnExec,
  writeCapture,
  LOCAL,
  type CaptureResult,
  type Target,
  type Tools,
} from '../capture/index';
import type { DumpPanelApi } from './dump-panel';

export const CAPTURE_COMMAND = 'closewait.captureFromProcess';

interface Chosen {
  /** As `closewait capture` would take it: `4711`, `docker:web`, `k8s:api/app`. */
  given: string;
  target: Target;
  label: string;
}

interface TargetItem extends vscode.QuickPickItem {
  chosen?: Chosen;
  action?: 'docker' | 'k8s';
}

/** The editor's own Node.js processes (its server, extension hosts, language servers): never what a user captures. */
const EDITOR_PROCESS = /code-server|vscode-server|\.vscode(?:-server)?\/|bootstrap-fork|--type=|extensionHost|--clientProcessId|tsserver|closewait\/dist\/server\.js/;

export function registerCapture(context: vscode.ExtensionContext, output: vscode.OutputChannel, panel: DumpPanelApi): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CAPTURE_COMMAND, async () => {
      try {
        await captureFromProcess(context, output, panel);
      } catch (error) {
        output.appendLine(`Capture from Process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        void vscode.window.showErrorMessage(`CloseWait: the capture failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}

async function captureFromProcess(context: vscode.ExtensionContext, output: vscode.OutputChannel, panel: DumpPanelApi): Promise<void> {
  const settings = vscode.workspace.getConfiguration('closewait.capture');
  const tools: Tools = {
    docker: settings.get<string>('docker')?.trim() || DEFAULT_TOOLS.docker,
    kubectl: settings.get<string>('kubectl')?.trim() || DEFAULT_TOOLS.kubectl,
  };
  const chosen = await pickTarget(tools);
  if (chosen === undefined) return;
  const dumps = await askDumps(settings.get<number>('dumps') ?? 3);
  if (dumps === undefined) return;
  const intervalMs = await askInterval(settings.get<string>('interval') ?? '5s');
  if (intervalMs === undefined) return;

  const controller = new AbortController();
  let result: CaptureResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `CloseWait: capturing ${chosen.label}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        return capture(chosen.given, chosen.target, {
          dumps,
          intervalMs,
          tools,
          signal: controller.signal,
          onProgress: ({ done, total, message }) => {
            progress.report({ message, increment: ((done - reported) / total) * 100 });
            reported = done;
          },
        });
      },
    );
  } catch (error) {
    if (error instanceof CaptureError) {
      output.appendLine(`Capture from Process: ${error.message}`);
      void vscode.window.showErrorMessage(`CloseWait: ${error.message.split('\n').map((l) => l.trim()).join(' ')}`);
      return;
    }
    throw error;
  }

  const record = result.record;
  for (const command of record.commands) output.appendLine(`capture: ${command.argv.join(' ')} (${formatMs(command.ms)})${command.outcome !== null ? `: ${command.outcome}` : ''}`);
  if (result.files.length === 0) {
    void vscode.window.showInformationMessage('CloseWait: the capture was cancelled before anything was taken.');
    return;
  }
  // The panel first: a folder that cannot be written must not cost the evidence.
  const name = `${record.target.name} (pid ${record.target.pid}), ${result.files.length} capture${result.files.length === 1 ? '' : 's'}`;
  const parts = (part: 'threads' | 'sockets'): string => result.files.flatMap((f) => (f[part] !== null ? [f[part] as string] : [])).join('\n');
  panel.showInputs({ threads: { name, text: parts('threads') }, sockets: { name, text: parts('sockets') } });
  const folder = captureFolder(context, result);
  try {
    writeCapture(result, analyzeCapture(result), folder.fsPath);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    output.appendLine(`Capture from Process: cannot write ${folder.fsPath}: ${message}`);
    void vscode.window.showErrorMessage(`CloseWait: the capture is in the Analyze Dump panel but could not be saved in ${folder.fsPath}: ${message}`);
    return;
  }

  const where = vscode.workspace.asRelativePath(folder);
  const reveal = 'Reveal Folder';
  const text =
    record.missing.length > 0
      ? `CloseWait: ${result.files.length} of ${record.requested.dumps} captures of ${record.target.name} saved in ${where}; missing: ${record.missing.join('; ')}`
      : `CloseWait: ${result.files.length} captures of ${record.target.name} saved in ${where}.`;
  const show = record.missing.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(text, reveal).then((picked) => {
    if (picked === reveal) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.joinPath(folder, 'analysis.md'));
  });
}

/** The workspace's .closewait/captures/<time>-<name>-<pid>, or the extension's storage without a local folder. */
function captureFolder(context: vscode.ExtensionContext, result: CaptureResult): vscode.Uri {
  const workspace = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const root = workspace?.uri ?? context.globalStorageUri;
  return vscode.Uri.joinPath(root, ...CAPTURES_FOLDER.split(/[\\/]/), captureFolderName(result));
}

// --- choosing the target ---------------------------------------------------------------------------------------

async function pickTarget(tools: Tools): Promise<Chosen | undefined> {
  const pick = vscode.window.createQuickPick<TargetItem>();
  pick.title = 'CloseWait: Capture from Process';
  pick.placeholder = 'The JVM or Node.js process to capture (type a name, a pid or a port)';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.busy = true;
  pick.show();
  const chosen = new Promise<TargetItem | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
  });
  void localItems(tools).then((items) => {
    pick.items = items;
    pick.busy = false;
  });
  const item = await chosen;
  pick.dispose();
  if (item?.action === 'docker') return pickContainer(tools);
  if (item?.action === 'k8s') return pickPod(tools);
  return item?.chosen;
}

async function localItems(tools: Tools): Promise<TargetItem[]> {
  const runner = new Runner(LOCAL, { timeoutMs: 10_000 });
  const [processes, ports] = await Promise.all([localCandidates(runner, { askJdk: true }), listeningPorts(runner)]);
  const items: TargetItem[] = processes
    .filter((p) => !EDITOR_PROCESS.test(p.commandLine))
    .map((p) => {
      const listening = ports.get(p.pid) ?? [];
      return {
        label: `$(${p.runtime === 'java' ? 'coffee' : 'server-process'}) ${displayName(p)}`,
        description: `pid ${p.pid} · ${p.runtime === 'java' ? 'JVM' : 'Node.js'}${listening.length > 0 ? ` · port${listening.length === 1 ? '' : 's'} ${listening.join(', ')}` : ''}`,
        detail: `${p.main}${p.user !== null ? ` · user ${p.user}` : ''}`,
        chosen: { given: String(p.pid), target: { kind: 'pid', pid: p.pid }, label: `${displayName(p)} (pid ${p.pid})` },
      };
    });
  if (items.length === 0) items.push({ label: 'No JVM or Node.js process is running that this user can see', alwaysShow: true });
  const more: TargetItem[] = [];
  if (onPath(tools.docker)) more.push({ label: '$(package) Docker container...', detail: `the JVM inside a running container, through ${tools.docker} exec`, action: 'docker', alwaysShow: true });
  if (onPath(tools.kubectl)) more.push({ label: '$(cloud) Kubernetes pod...', detail: `the JVM inside a pod, through ${tools.kubectl} exec`, action: 'k8s', alwaysShow: true });
  if (more.length > 0) items.push({ label: 'containers', kind: vscode.QuickPickItemKind.Separator }, ...more);
  return items;
}

async function pickContainer(tools: Tools): Promise<Chosen | undefined> {
  const listed = await list([tools.docker, 'ps', '--format', '{{.ID}}\t{{.Names}}\t{{.Image}}\t{{.Status}}'], 'running containers');
  if (listed === undefined) return undefined;
  const items = listed.map((line) => {
    const [id, name, image, status] = line.split('\t');
    return { label: name ?? id, description: `${image ?? ''} · ${id}`, detail: status, name: name ?? id };
  });
  const picked = await vscode.window.showQuickPick(items, { title: 'CloseWait: Capture from a Docker container', placeHolder: 'The container whose JVM to capture', matchOnDescription: true });
  if (picked === undefined) return undefined;
  return { given: `docker:${picked.name}`, target: { kind: 'docker', container: picked.name }, label: `container ${picked.name}` };
}

async function pickPod(tools: Tools): Promise<Chosen | undefined> {
  const columns = ['-o', 'custom-columns=NS:.metadata.namespace,NAME:.metadata.name,CONTAINERS:.spec.containers[*].name,PHASE:.status.phase', '--no-headers'];
  // Every namespace when allowed, else the current one.
  const listed = (await list([tools.kubectl, 'get', 'pods', '-A', ...columns], 'pods', true)) ?? (await list([tools.kubectl, 'get', 'pods', ...columns], 'pods'));
  if (listed === undefined) return undefined;
  const items = listed.map((line) => {
    const [namespace, pod, containers = '', phase = ''] = line.trim().split(/\s+/);
    return { label: pod, description: `namespace ${namespace} · ${phase}`, detail: `containers: ${containers}`, namespace, pod, containers: containers.split(',').filter((c) => c !== '' && c !== '<none>') };
  });
  const picked = await vscode.window.showQuickPick(items, { title: 'CloseWait: Capture from a Kubernetes pod', placeHolder: 'The pod whose JVM to capture', matchOnDescription: true });
  if (picked === undefined) return undefined;
  let container: string | null = null;
  if (picked.containers.length > 1) {
    const one = await vscode.window.showQuickPick(picked.containers, { title: `CloseWait: the container of ${picked.pod}`, placeHolder: 'The container that runs the JVM' });
    if (one === undefined) return undefined;
    container = one;
  }
  return {
    given: `k8s:${picked.pod}${container !== null ? `/${container}` : ''} -n ${picked.namespace}`,
    target: { kind: 'k8s', pod: picked.pod, container, namespace: picked.namespace, context: null },
    label: `pod ${picked.pod}`,
  };
}

/** The lines a listing command prints, or undefined after saying why there are none. */
async function list(argv: string[], what: string, quiet = false): Promise<string[] | undefined> {
  const result = await spawnExec(argv, { timeoutMs: 20_000 });
  const lines = result.stdout.split('\n').filter((l) => l.trim() !== '');
  if (result.code !== 0) {
    if (!quiet) void vscode.window.showErrorMessage(`CloseWait: ${argv.slice(0, 3).join(' ')} failed: ${(result.stderr || result.stdout).trim().split('\n')[0] || (result.timedOut ? 'timed out' : 'no output')}`);
    return undefined;
  }
  if (lines.length === 0) {
    void vscode.window.showInformationMessage(`CloseWait: no ${what} found.`);
    return undefined;
  }
  return lines;
}

function onPath(command: string): boolean {
  if (isAbsolute(command)) return isFile(command);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isFile(join(dir, command)));
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

// --- how many, how often ---------------------------------------------------------------------------------------

async function askDumps(initial: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'CloseWait: Capture from Process',
    prompt: 'How many thread dumps (with a socket listing each)? Several show what stays stuck.',
    value: String(initial),
    validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 100 ? null : 'A number from 1 to 100'),
  });
  return text === undefined ? undefined : Number(text.trim());
}

async function askInterval(initial: string): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'CloseWait: Capture from Process',
    prompt: 'Time between dumps (5s, 500ms, 1m)',
    value: initial,
    validateInput: (value) => {
      const ms = parseDuration(value);
      return ms !== null && ms <= 3_600_000 ? null : 'A duration such as 5s, 500ms or 1m (at most 1 hour)';
    },
  });
  return text === undefined ? undefined : (parseDuration(text) ?? undefined);
}
