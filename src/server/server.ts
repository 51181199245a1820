// The CloseWait language server: diagnostics for open documents (incrementally, on every change), workspace facts
// for self-call, a cancellable workspace scan, quick fixes and hovers.
import {
  CancellationToken,
  CancellationTokenSource,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  MessageType,
  ShowMessageNotification,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { analyzeText, type AnalyzeOptions, type FileAnalysis } from '../analysis/engine';
import { isConfigFile } from '../analysis/facts';
import { CONFIG_FILES_GLOB, SOURCE_FILES_GLOB } from '../analysis/facts/config-glob';
import type { Finding } from '../analysis/finding';
import { languageForPath, loadAllLanguages } from '../analysis/parse/grammars';
import { RULES } from '../analysis/rules';
import type { Rule } from '../analysis/rules/rule';
import { globToRegExp, matchesExclude } from '../files/glob';
import { readSource, type FsPath } from '../files/read-source';
import { VERSION } from '../version';
import { toDiagnostic } from './diagnostics';
import { hoverFor } from './hover';
import { describe, LiveDocuments, type LiveDocument } from './live-documents';
import { codeActionDiagnostics, documentChange, documentUri, openedDocument, position } from './params';
import { DEFAULT_SETTINGS, readSettings, settingsKey, type Settings } from './settings';
import { HiddenFindings, SUMMARY_REQUEST } from './summary';
import { localPath, Workspace } from './workspace';

export const SCAN_COMMAND = 'closewait.server.scanWorkspace';


export interface ServerOptions {
  /** Rules to run instead of the shipped ones (a test seam for a rule that throws). */
  readonly rules?: readonly Rule[];
}

export class CloseWaitServer {
  private workspace = new Workspace([]);
  private settings: Settings = DEFAULT_SETTINGS;
  private readonly documents = new LiveDocuments({
    analysis: () => ({ ...this.analyzeOptions(), key: `${settingsKey(this.settings)}\0${this.workspace.version}` }),
    excluded: (path) => this.isExcluded(path),
    analysed: (doc, result) => this.analysed(doc, result),
    publish: (doc, version, findings) => this.publish(doc, version, findings),
    schedule: (uri) => this.schedule(uri),
    log: (message) => this.log(message),
    logFailure: (path, rule, message) => this.logFailure(path, rule, message),
    warn: (message) => void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }),
  });
  private readonly findings = new Map<string, readonly Finding[]>();
  /** Closed files whose diagnostics came from a workspace scan: refreshed when they change on disk. */
  private readonly scanned = new Set<string>();
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  private ready: Promise<void> = Promise.resolve();
  private supportsConfiguration = false;
  private supportsWatchRegistration = false;
  private readonly loggedOnce = new Set<string>();
  /** Findings left out of the diagnostics per document, for the status bar's summary (see summary.ts). */
  private readonly hidden = new HiddenFindings();

  constructor(
    private readonly connection: Connection,
    private readonly options: ServerOptions = {},
  ) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.background('start-up', this.initialized()));
    // Each handler checks what it is given (params.ts): a malformed message is logged and ignored.
    c.onDidOpenTextDocument((params) => {
      const opened = openedDocument(params);
      if (opened) this.open(opened.uri, opened.languageId, opened.version, opened.text);
      else this.ignored('textDocument/didOpen', params);
    });
    c.onDidChangeTextDocument((params) => {
      const change = documentChange(params);
      if (!change) return this.ignored('textDocument/didChange', params);
      if (this.documents.applyChanges(change.uri, change.changes, change.version)) this.schedule(change.uri);
    });
    c.onDidCloseTextDocument((params) => {
      const uri = documentUri(params);
      if (uri !== undefined) this.close(uri);
      else this.ignored('textDocument/didClose', params);
    });
    c.onDidChangeConfiguration((change) => this.background('applying settings', this.configurationChanged(change?.settings)));
    c.onDidChangeWatchedFiles((params) => this.background('following file changes', this.watchedFilesChanged(params?.changes)));
    // A save is a change on disk: seen here too, so the facts follow a saved application.properties even when the
    // editor's file watcher reports late or never (a container out of inotify watches). Twice is harmless: the
    // second reading finds the facts unchanged.
    c.onDidSaveTextDocument((params) => {
      const uri = documentUri(params);
      if (uri !== undefined) this.background('following a saved file', this.watchedFilesChanged([{ uri, type: FileChangeType.Changed }]));
      else this.ignored('textDocument/didSave', params);
    });
    c.onHover((params) => {
      const uri = documentUri(params);
      const at = position(params?.position);
      return uri !== undefined && at ? hoverFor(this.findings.get(uri) ?? [], at, this.documents.get(uri)?.language) : null;
    });
    c.onCodeAction((params) => {
      const uri = documentUri(params);
      const doc = uri === undefined ? undefined : this.documents.get(uri);
      return doc ? this.documents.codeActions(doc, codeActionDiagnostics(params)) : [];
    });
    c.onRequest(SUMMARY_REQUEST, () => this.hidden.summary());
    c.onShutdown(() => this.documents.dispose());
    c.onExecuteCommand((params, token) => (params?.command === SCAN_COMMAND ? this.scanWorkspace(token) : undefined));
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    // Folders that are no local path (a remote share, another scheme) hold nothing this server can read; what a
    // client leaves out or gets wrong is taken as absent.
    const folders = Array.isArray(params?.workspaceFolders) ? params.workspaceFolders.map((f) => f?.uri) : [params?.rootUri];
    this.workspace = new Workspace(folders.flatMap((uri) => (typeof uri === 'string' ? (localPath(uri) ?? []) : [])));
    const workspace = params?.capabilities?.workspace;
    this.supportsConfiguration = !!workspace?.configuration;
    this.supportsWatchRegistration = !!workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.settings = readSettings((params?.initializationOptions as { settings?: unknown } | null | undefined)?.settings);
    this.ready = loadAllLanguages();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        executeCommandProvider: { commands: [SCAN_COMMAND] },
      },
      serverInfo: { name: 'closewait', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    // A client may refuse a registration: the server then does without (and says so in its log).
    if (this.supportsWatchRegistration) {
      this.background('registering file watchers', this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: CONFIG_FILES_GLOB }, { globPattern: SOURCE_FILES_GLOB }] }));
    }
    if (this.supportsConfiguration) {
      this.background('registering for settings changes', this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'closewait' }));
      await this.pullSettings();
    }
    await this.ready;
    await this.buildFacts();
    this.documents.warmUpBackground(this.workspace.bigSources);
  }

  private async pullSettings(): Promise<void> {
    try {
      this.settings = readSettings(await this.connection.workspace.getConfiguration('closewait'));
    } catch (error) {
      this.log(`could not read the closewait settings: ${describe(error)}`);
    }
  }

  /** Workspace facts (ports, base URLs) in the background, with progress; open documents are re-checked after. */
  private async buildFacts(): Promise<void> {
    const progress = await this.progress();
    progress.begin('CloseWait: reading where the workspace listens', 0, undefined, true);
    try {
      this.workspace.setExtraHosts(this.settings.extraHosts);
      const changed = await this.workspace.build(
        this.settings.exclude,
        (done, total) => progress.report(total === 0 ? 100 : Math.round((done / total) * 100), `${done}/${total} files`),
        () => progress.token.isCancellationRequested,
      );
      const ports = this.workspace.facts.ports.map((p) => `${p.port} (${p.origin}, ${p.file}:${p.line})`);
      this.log(`workspace facts: ${ports.length > 0 ? `listening on ${ports.join(', ')}` : 'no server port found'}`);
      if (changed) this.revalidateAll();
    } catch (error) {
      this.log(`reading workspace facts failed: ${describe(error)}`);
    } finally {
      progress.done();
    }
  }

  private isExcluded(path: string): boolean {
    const { exclude } = this.settings;
    return exclude.length > 0 && matchesExclude(path, exclude.map(globToRegExp), exclude);
  }

  private open(uri: string, languageId: string, version: number, text: string): void {
    const path = this.workspace.pathOfUri(uri) ?? uri;
    const language = languageForPath(path) ?? languageForLanguageId(languageId);
    if (!language) return;
    this.documents.open(uri, path, language, languageId, version, text);
    this.scanned.delete(uri);
    this.schedule(uri);
  }

  private close(uri: string): void {
    if (!this.documents.close(uri)) return;
    this.dirty.delete(uri);
    this.findings.delete(uri);
    this.hidden.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Coalesces changes: validation runs after the messages already queued, never on a timer. */
  private schedule(uri: string): void {
    this.dirty.add(uri);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() =>
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      }),
    );
  }

  private async flush(): Promise<void> {
    await this.ready;
    const uris = [...this.dirty];
    this.dirty.clear();
    for (const uri of uris) this.documents.validate(uri);
  }

  private analyzeOptions(): AnalyzeOptions & Pick<Required<AnalyzeOptions>, 'severities' | 'profile' | 'testCode' | 'facts' | 'ruleSet'> {
    const { severities, profile, testCode } = this.settings;
    return { severities, profile, testCode, facts: this.workspace.facts, ruleSet: this.options.rules ?? RULES };
  }

  /** After each analysis of an open document: what the policy hid, for the summary and (once) the log. */
  private analysed(doc: LiveDocument, result: Pick<FileAnalysis, 'hidden' | 'role'>): void {
    this.logPolicy(doc.path, result);
    this.hidden.set(doc.uri, result.hidden.testCode);
  }

  private publish(doc: LiveDocument, version: number, findings: readonly Finding[]): void {
    this.findings.set(doc.uri, findings);
    const diagnostics = findings.map((f) => toDiagnostic(f, (path) => this.workspace.uriOf(path)));
    void this.connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
  }

  /** Once per file and reason: why its findings are hidden, and the setting that shows them. */
  private logPolicy(path: string, result: Pick<FileAnalysis, 'hidden' | 'role'>): void {
    const { hidden, role } = result;
    const notes = [
      hidden.testCode > 0 ? `it is test code (${role.test}): closewait.testCode shows its findings` : '',
      hidden.browserCode > 0 ? `it runs in a browser (${role.browser}): closewait.profile "strict" shows its findings` : '',
    ].filter(Boolean);
    for (const note of notes) {
      const key = `${path}\0${note}`;
      if (this.loggedOnce.has(key)) continue;
      this.loggedOnce.add(key);
      this.log(`${path}: findings not shown because ${note}`);
    }
  }

  private logFailure(path: string, rule: string, message: string): void {
    const key = `${path}\0${rule}\0${message}`;
    if (this.loggedOnce.has(key)) return;
    this.loggedOnce.add(key);
    this.log(`rule ${rule} failed on ${path}: ${message} (the other rules still report)`);
  }

  private revalidateAll(): void {
    this.documents.resetAll();
    for (const doc of this.documents.values()) this.schedule(doc.uri);
    for (const uri of this.scanned) this.refreshClosedFile(uri);
  }

  private async configurationChanged(pushed: unknown): Promise<void> {
    if (this.supportsConfiguration) await this.pullSettings();
    else this.settings = readSettings((pushed as { closewait?: unknown } | undefined)?.closewait);
    this.workspace.setExtraHosts(this.settings.extraHosts);
    this.revalidateAll();
  }

  private async watchedFilesChanged(changes: readonly { uri: string; type: FileChangeType }[]): Promise<void> {
    await this.ready;
    let factsChanged = false;
    for (const change of Array.isArray(changes) ? changes : []) {
      // A URI that is no local path (another host, an encoded '/', another scheme) is nothing this server reads.
      const absolute = typeof change?.uri === 'string' ? localPath(change.uri) : undefined;
      if (absolute === undefined) continue;
      const path = this.workspace.relative(absolute);
      if (Workspace.isFactSource(path)) {
        const open = this.documents.get(change.uri);
        const gone = change.type === FileChangeType.Deleted;
        factsChanged = this.workspace.updateFile(absolute, gone ? null : open?.text) || factsChanged;
      }
      if (this.scanned.has(change.uri) && !this.documents.get(change.uri)) {
        if (change.type === FileChangeType.Deleted) {
          this.scanned.delete(change.uri);
          void this.connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
        } else if (!isConfigFile(path)) {
          this.refreshClosedFile(change.uri);
        }
      }
    }
    if (factsChanged) {
      this.log(`workspace facts changed: listening on ${this.workspace.facts.ports.map((p) => p.port).join(', ') || 'no port'}`);
      this.revalidateAll();
    }
  }

  /** Diagnostics of a closed file, from its text on disk. */
  private analyzeOnDisk(absolute: FsPath): Diagnostic[] {
    const path = this.workspace.relative(absolute);
    if (this.isExcluded(path)) return [];
    const source = readSource(absolute);
    if ('skipped' in source) return [];
    const result = analyzeText(path, source.text, this.analyzeOptions(), source.bytes);
    if (result.skipped !== undefined) return [];
    for (const failure of result.failures) this.logFailure(path, failure.rule, failure.message);
    this.hidden.set(this.workspace.uriOf(path), result.hidden.testCode);
    return result.findings.map((f) => toDiagnostic(f, (p) => this.workspace.uriOf(p)));
  }

  private refreshClosedFile(uri: string): void {
    const absolute = localPath(uri);
    if (absolute === undefined) return;
    try {
      void this.connection.sendDiagnostics({ uri, diagnostics: this.analyzeOnDisk(absolute) });
    } catch (error) {
      this.log(`re-checking ${uri} failed: ${describe(error)}`);
    }
  }

  /** "CloseWait: Scan Workspace": every file, with progress; cancellable from the progress UI or the request. */
  private async scanWorkspace(token: CancellationToken): Promise<{ files: number; findings: number; cancelled: boolean }> {
    await this.ready;
    const progress = await this.progress();
    const cancel = new CancellationTokenSource();
    token.onCancellationRequested(() => cancel.cancel());
    progress.token.onCancellationRequested(() => cancel.cancel());
    progress.begin('CloseWait: scanning the workspace', 0, 'listing files', true);
    let files = 0;
    let findings = 0;
    try {
      const { sources } = this.workspace.files(this.settings.exclude);
      for (const absolute of sources) {
        if (cancel.token.isCancellationRequested) break;
        const uri = Workspace.uriOfFile(absolute);
        files++;
        if (!this.documents.get(uri)) {
          const diagnostics = this.analyzeOnDisk(absolute);
          findings += diagnostics.length;
          if (diagnostics.length > 0 || this.scanned.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics });
          if (diagnostics.length > 0) this.scanned.add(uri);
          else this.scanned.delete(uri);
        } else {
          findings += this.findings.get(uri)?.length ?? 0;
        }
        if (files % 20 === 0) {
          progress.report(Math.round((files / sources.length) * 100), `${files}/${sources.length} files`);
          // Let cancellation and editor messages through.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      progress.done();
    }
    const cancelled = cancel.token.isCancellationRequested;
    this.log(`workspace scan ${cancelled ? 'cancelled' : 'done'}: ${files} files, ${findings} findings`);
    return { files, findings, cancelled };
  }

  /** Progress in the client's UI, or none when the client refuses it: the work is done all the same. */
  private async progress(): Promise<WorkDoneProgressServerReporter> {
    try {
      return await this.connection.window.createWorkDoneProgress();
    } catch (error) {
      this.log(`the client refused a progress indicator: ${describe(error)}`);
      return NO_PROGRESS;
    }
  }

  /** Work started by a notification: nobody awaits it, so a failure is logged here instead of ending the process. */
  private background(what: string, work: Promise<unknown>): void {
    work.catch((error: unknown) => this.log(`${what} failed: ${describe(error)}`));
  }

  private ignored(method: string, params: unknown): void {
    this.log(`ignored a ${method} that does not hold what it must: ${JSON.stringify(params)?.slice(0, 200)}`);
  }

  private log(message: string): void {
    this.connection.console.log(message);
  }
}

const NO_PROGRESS: WorkDoneProgressServerReporter = { token: CancellationToken.None, begin() {}, report() {}, done() {} };

function languageForLanguageId(id: string): ReturnType<typeof languageForPath> {
  switch (id) {
    case 'java':
      return 'java';
    case 'typescript':
      return 'typescript';
    case 'typescriptreact':
      return 'tsx';
    case 'javascript':
    case 'javascriptreact':
      return 'javascript';
  }
  return undefined;
}
