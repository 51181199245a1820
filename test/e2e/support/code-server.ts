// code-server for the end-to-end suite: its own user-data, extensions and config folders under a temp folder (never
// the user's home), our .vsix installed into it, listening on 127.0.0.1 on a free port, and always stopped again:
// by stop(), and on exit, Ctrl-C or SIGTERM of this process. Its whole process group goes (the extension host and
// our language server with it).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isolatedEnv, type Installation } from './install';

/** User settings for a quiet workbench: no welcome page, trust prompt, tips, update or telemetry chatter. */
export const USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'editor.hover.delay': 300,
  'window.restoreWindows': 'none',
  'workbench.editor.restoreViewState': false,
};

export interface CodeServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The temp folder holding everything of this run (user data, extensions, config, workspaces). */
  readonly root: string;
  /** What code-server printed so far (stdout and stderr). */
  log(): string;
  /** Copies `source` into a fresh folder under root (`name` keeps copies apart) and returns its path. */
  workspace(source: string, name: string): string;
  /** The URL that opens `folder` in the workbench. */
  folderUrl(folder: string): string;
  /** Stops code-server and its process group; safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly installation: Installation;
  readonly vsix: string;
  /** Extra user settings merged over USER_SETTINGS. */
  readonly settings?: Record<string, unknown>;
  /**
   * A folder that receives code-server's log (code-server.log) and VS Code's logs (logs/: the extension host's,
   * and the CloseWait output channel's) when code-server stops, for a failure report.
   */
  readonly artifacts?: string;
  /** How long code-server may take to listen. */
  readonly startTimeoutMs?: number;
}

/** Process groups (by their leader's pid) of code-servers not stopped yet: killed on exit whatever happens. */
const groups = new Set<number>();
/** Temp folders of code-servers not stopped yet: removed on exit too. */
const roots = new Set<string>();

/**
 * Signals a whole process group, whether or not its leader still runs: the extension host and the language server
 * may outlive code-server itself. Synchronous, so it also works in an exit handler.
 */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // No process left in the group.
  }
}

let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const pid of groups) killGroup(pid, 'SIGKILL');
    for (const root of roots) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pid of groups) killGroup(pid, 'SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

function codeServerArgs(root: string): string[] {
  return [
    '--user-data-dir',
    join(root, 'user-data'),
    '--extensions-dir',
    join(root, 'extensions'),
    '--config',
    join(root, 'config.yaml'),
  ];
}

/** Installs the .vsix into the extensions folder with code-server's own CLI, as a user would. */
function installVsix(installation: Installation, root: string, vsix: string): void {
  const result = spawnSync(installation.node, [installation.entry, ...codeServerArgs(root), '--install-extension', vsix], {
    encoding: 'utf8',
    env: isolatedEnv(root),
    timeout: 120_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (${result.error?.message ?? `exit ${String(result.status)}`}):\n${output}`);
  }
}

export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  if (!existsSync(options.vsix)) throw new Error(`${options.vsix} is missing: run npm run package first`);
  installExitHandlers();
  const root = mkdtempSync(join(tmpdir(), 'closewait-e2e-'));
  roots.add(root);
  const userDir = join(root, 'user-data', 'User');
  mkdirSync(userDir, { recursive: true });
  mkdirSync(join(root, 'extensions'), { recursive: true });
  mkdirSync(join(root, 'workspaces'), { recursive: true });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  writeFileSync(join(userDir, 'settings.json'), `${JSON.stringify({ ...USER_SETTINGS, ...options.settings }, null, 2)}\n`);
  writeFileSync(join(root, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  installVsix(options.installation, root, options.vsix);

  const logFile = join(root, 'code-server.log');
  let output = '';
  const child = spawn(
    options.installation.node,
    [
      options.installation.entry,
      ...codeServerArgs(root),
      // Port 0: the kernel picks a free port and code-server prints it, so there is no race for a port.
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      // The extension host of a closed page stops soon (the default keeps it 3 hours for a reconnect).
      '--reconnection-grace-time',
      '30',
      '--log',
      'info',
    ],
    // No extension gallery: nothing to fetch from outside this machine.
    // Its temp files (IPC sockets) go under root too.
    { cwd: root, env: { ...isolatedEnv(root), EXTENSIONS_GALLERY: '{}', TMPDIR: join(root, 'tmp') }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.once('error', (error) => appendFileSync(logFile, `spawn error: ${String(error)}\n`));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`code-server did not start: ${options.installation.node} ${options.installation.entry}`);
  groups.add(pid);
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    appendFileSync(logFile, chunk);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // For test/e2e/run.mjs, which cleans up after a test process that could not (killed with SIGKILL).
  if (process.env.CLOSEWAIT_E2E_PIDFILE) appendFileSync(process.env.CLOSEWAIT_E2E_PIDFILE, `${pid}\t${root}\n`);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killGroup(pid, 'SIGTERM');
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
    await Promise.race([exited, timeout]);
    // The extension host and the language server are in the same group: none outlives code-server.
    killGroup(pid, 'SIGKILL');
    groups.delete(pid);
    if (options.artifacts) {
      mkdirSync(options.artifacts, { recursive: true });
      writeFileSync(join(options.artifacts, 'code-server.log'), output);
      const logs = join(root, 'user-data', 'logs');
      rmSync(join(options.artifacts, 'logs'), { recursive: true, force: true });
      if (existsSync(logs)) cpSync(logs, join(options.artifacts, 'logs'), { recursive: true });
    }
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    roots.delete(root);
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`)), options.startTimeoutMs ?? 60_000);
    const check = () => {
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${String(child.exitCode ?? child.signalCode)}) before listening:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const readyBy = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > readyBy) {
      await stop();
      throw new Error(`code-server at ${url} never answered /healthz:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    root,
    log: () => output,
    workspace(source: string, name: string): string {
      // <name>/<source's own name>: the workbench shows the folder as the user knows it (spring-service).
      const target = join(root, 'workspaces', name, basename(source));
      cpSync(source, target, { recursive: true });
      return target;
    },
    folderUrl: (folder: string) => `${url}/?folder=${encodeURIComponent(folder)}`,
    stop,
  };
}

/** The CloseWait output channel's log files under VS Code's logs folder (in a running or a copied tree). */
export function outputChannelLogs(logsDir: string): { file: string; text: string }[] {
  if (!existsSync(logsDir)) return [];
  const found: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/CloseWait\.log$/.test(entry.name)) found.push({ file: path, text: readFileSync(path, 'utf8') });
    }
  };
  walk(logsDir);
  return found;
}
