// A minimal LSP client that drives the real bundled server (dist/server.js) over stdio, as an editor would.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  ErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type {
  CodeAction,
  Diagnostic,
  Hover,
  InitializeResult,
  ProgressToken,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
  WorkDoneProgressBegin,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers';

export const serverPath = join(repoRoot, 'dist', 'server.js');

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface ClientOptions {
  readonly root: string;
  /** The `closewait` settings section the client answers workspace/configuration with. */
  readonly settings?: Record<string, unknown>;
  readonly env?: NodeJS.ProcessEnv;
  /** Requests from the server this client answers with an error (as a client that refuses them would). */
  readonly refuse?: readonly string[];
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly logs: string[] = [];
  readonly progress = new Map<ProgressToken, Progress[]>();
  /** Every publishDiagnostics, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Every window/showMessage, in arrival order. */
  readonly messages: { type: number; message: string }[] = [];
  settings: Record<string, unknown>;
  /** Set once the server process has exited. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves when the server process exits. */
  readonly exited: Promise<void>;
  /** Requests from the server this client answers with an error (from `refuse`; may change as a test goes). */
  readonly refusing: Set<string>;
  private readonly process: ChildProcessWithoutNullStreams;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private versions = new Map<string, number>();

  constructor(private readonly options: ClientOptions) {
    if (!existsSync(serverPath)) throw new Error(`${serverPath} is missing: run npm run build first`);
    this.settings = options.settings ?? {};
    this.process = spawn(process.execPath, [serverPath, '--stdio'], { env: { ...process.env, ...options.env } });
    this.process.stderr.on('data', (d) => this.logs.push(`[stderr] ${String(d)}`));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      this.notify();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.notify();
    });
    this.exited = new Promise((resolve) =>
      this.process.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve();
      }),
    );
    this.refusing = new Set(options.refuse);
    const refused = (method: string) => this.refusing.has(method);
    const refusal = (method: string) => new ResponseError(ErrorCodes.InternalError, `this client refuses ${method}`);
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: ProgressToken }) => {
      if (refused('window/workDoneProgress/create')) return refusal('window/workDoneProgress/create');
      this.progress.set(params.token, []);
      return null;
    });
    this.connection.onNotification('$/progress', (params: { token: ProgressToken; value: Progress }) => {
      this.progress.get(params.token)?.push(params.value);
      this.notify();
    });
    this.connection.onRequest('client/registerCapability', () => (refused('client/registerCapability') ? refusal('client/registerCapability') : null));
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      refused('workspace/configuration') ? refusal('workspace/configuration') : params.items.map((item) => (item.section === 'closewait' ? this.settings : null)),
    );
    this.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      this.messages.push(params);
      this.notify();
    });
    this.connection.listen();
  }

  /** The server's process id (to sample its memory). */
  get pid(): number {
    return this.process.pid!;
  }

  uri(path: string): string {
    return pathToFileURL(join(this.options.root, path)).href;
  }

  async initialize(): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(this.options.root).href,
      workspaceFolders: [{ uri: pathToFileURL(this.options.root).href, name: 'fixture' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves once the server logged its workspace facts (the background start-up work is done). */
  async factsReady(timeoutMs = 20_000): Promise<void> {
    await this.until(() => this.logs.some((l) => l.startsWith('workspace facts:')), timeoutMs, 'workspace facts');
  }

  async open(path: string, text: string, languageId: string): Promise<void> {
    this.versions.set(this.uri(path), 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri(path), languageId, version: 1, text } });
  }

  /** Sends changes and returns the new version. */
  async change(path: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const uri = this.uri(path);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /** The latest diagnostics published for a file. */
  diagnostics(path: string): Diagnostic[] {
    return this.latestFor(this.uri(path))?.diagnostics ?? [];
  }

  private latestFor(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  /** Waits until the latest publish for `path` is at `version` (when given) and satisfies `accept`. */
  async diagnosticsFor(path: string, options: { version?: number; accept?: (d: Diagnostic[]) => boolean; timeoutMs?: number } = {}): Promise<Diagnostic[]> {
    const uri = this.uri(path);
    let found: Diagnostic[] | undefined;
    await this.until(
      () => {
        const latest = this.latestFor(uri);
        if (!latest) return false;
        if (options.version !== undefined && latest.version !== options.version) return false;
        if (options.accept && !options.accept(latest.diagnostics)) return false;
        found = latest.diagnostics;
        return true;
      },
      options.timeoutMs ?? 20_000,
      `diagnostics for ${path}`,
    );
    return found!;
  }

  hover(path: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri: this.uri(path) }, position: { line, character } });
  }

  codeActions(path: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: this.uri(path) },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
  }

  async until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server log:\n${this.logs.join('\n')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ check, resolve: done });
    });
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => w.check());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2_000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}

/** Applies LSP text edits (from one code action) to a text. */
/** The 0-based line of the first line of `text` containing `needle` (a fixture's line, found by its text). */
export function lineOf(text: string, needle: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `fixture line not found: ${needle}`);
  return line;
}

/** A diagnostic's message as text (the protocol also allows markup). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

export function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

export interface StartedServer {
  readonly root: string;
  readonly client: LspClient;
  /** Stops the server and removes its workspace. */
  stop(): Promise<void>;
}

/**
 * A server on a new temporary workspace holding `files` (and whatever `setup` adds), initialized and done reading
 * its workspace facts.
 */
export async function startServer(
  name: string,
  options: Omit<ClientOptions, 'root'> & { readonly files?: Record<string, string>; readonly setup?: (root: string) => void } = {},
): Promise<StartedServer> {
  const { files = {}, setup, ...clientOptions } = options;
  const root = mkdtempSync(join(tmpdir(), `closewait-lsp-${name}-`));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  setup?.(root);
  const client = new LspClient({ ...clientOptions, root });
  const stop = async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await client.initialize();
    await client.factsReady();
  } catch (error) {
    await stop();
    throw error;
  }
  return { root, client, stop };
}
