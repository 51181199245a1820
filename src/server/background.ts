// Big documents are analysed on a worker thread (dist/analysis-worker.js), so that while a 5 MB file is parsed and
// checked the server still answers hovers, quick fixes and every other document. The worker keeps its own copy of
// each big document, tree and incremental analyzer included (the same OpenDocument the main thread uses for small
// ones): edits go to it as they come, analyses and quick fixes are requests. A worker that dies is replaced on the
// next request, and the documents it held are opened in the new one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CodeAction, Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis, RuleFailure, SeveritySetting } from '../analysis/engine';
import type { WorkspaceFacts } from '../analysis/facts/workspace';
import type { Finding } from '../analysis/finding';
import type { LanguageId } from '../analysis/parse/grammars';
import type { Profile, TestCodePolicy } from '../analysis/scope/policy';
import type { FsPath } from '../files/read-source';
import { wellFormed } from './documents';

/** Documents longer than this (in characters) are analysed in the background. */
export const BACKGROUND_CHARS = 256 * 1024;

/** What an analysis needs besides the document: plain data, it is copied to the worker. */
export interface AnalysisRequest {
  readonly severities: Readonly<Record<string, SeveritySetting>>;
  readonly profile: Profile;
  readonly testCode: TestCodePolicy;
  readonly facts: WorkspaceFacts;
  /** The incremental analyzer's key for settings and facts (see IncrementalAnalyzer.analyze). */
  readonly key: string;
}

export type BackgroundResult =
  | ({
      readonly version: number;
      readonly findings: readonly Finding[];
      readonly failures: readonly RuleFailure[];
      /** Answered from the analysis of the file as on disk, made before it was opened. */
      readonly prepared?: true;
    } & Pick<FileAnalysis, 'hidden' | 'role'>)
  /** Not analysed: too large, binary, or out of time (the reason says which). */
  | { readonly version: number; readonly skipped: string };

export type ToWorker =
  | { readonly kind: 'open'; readonly uri: string; readonly path: string; readonly language: LanguageId; readonly version: number; readonly text: string }
  | { readonly kind: 'change'; readonly uri: string; readonly changes: readonly TextDocumentContentChangeEvent[]; readonly version: number }
  | { readonly kind: 'close' | 'reset'; readonly uri: string }
  /** Analyse made-up files while idle, so that the first big document meets warm code (warm-up.ts); answers the ms it took. */
  | { readonly kind: 'warm-up'; readonly id: number }
  /**
   * Read a big file of the workspace (`file`, called `path`) and analyse it, so that its findings are at hand when it
   * is opened as it is on disk; answers a Prepared.
   */
  | { readonly kind: 'prepare'; readonly id: number; readonly file: FsPath; readonly path: string; readonly language: LanguageId; readonly request: AnalysisRequest }
  | { readonly kind: 'analyze'; readonly id: number; readonly uri: string; readonly request: AnalysisRequest }
  | { readonly kind: 'codeActions'; readonly id: number; readonly uri: string; readonly diagnostics: readonly Diagnostic[] };

/** A big file prepared: its length in characters (0 when it could not be read, or was open already). */
export interface Prepared {
  readonly chars: number;
}

export type FromWorker = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: string };

/** The worker thread, started on first use and again after it dies. */
export class AnalysisWorker {
  /** Bumped for every worker started: a document opened in an older one must be opened again. */
  generation = 0;
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly script: string,
    private readonly log: (message: string) => void,
  ) {}

  /** The worker next to the server bundle; none when the server runs from sources (it then analyses everything itself). */
  static create(log: (message: string) => void): AnalysisWorker | undefined {
    const script = join(__dirname, 'analysis-worker.js');
    return existsSync(script) ? new AnalysisWorker(script, log) : undefined;
  }

  /** The running worker's generation, starting one if none runs. */
  current(): number {
    this.running();
    return this.generation;
  }

  /** Starts the worker, if none runs, and has it warm up (see warm-up.ts); resolves to the milliseconds it took. */
  warmUp(): Promise<number> {
    return this.request<number>((id) => ({ kind: 'warm-up', id }));
  }

  /** Has the worker analyse a big file of the workspace ahead of its opening (see the `prepare` message). */
  prepare(file: FsPath, path: string, language: LanguageId, request: AnalysisRequest): Promise<Prepared> {
    return this.request<Prepared>((id) => ({ kind: 'prepare', id, file, path, language, request }));
  }

  /** Sends to the running worker; with none running there is nothing to tell (a new one starts empty). */
  send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  request<T>(message: (id: number) => ToWorker): Promise<T> {
    const worker = this.running();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(message(id));
    });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    // The language server's life is the editor's to decide: the worker never keeps the process alive on its own.
    worker.unref();
    this.generation++;
    worker.on('message', (message: FromWorker) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiting) return;
      if ('error' in message) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
    const stopped = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.log(`the background analysis stopped (${why}); it starts again when needed`);
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the background analysis stopped (${why})`));
      this.pending.clear();
    };
    worker.on('error', (error) => stopped(error.stack ?? error.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}

/** An open document analysed in the background. The server keeps its text (for hovers and to reopen it) too. */
export class BackgroundDocument {
  /** An analysis is on its way; another is asked for when it is back, if the text changed meanwhile. */
  analyzing = false;
  changedWhileAnalyzing = false;
  /** Set when an analysis gave up (out of time, or the worker died): the length it had then. */
  gaveUpAt: number | undefined;
  private openIn = -1;

  constructor(
    private document: TextDocument,
    readonly path: string,
    readonly language: LanguageId,
    private readonly worker: AnalysisWorker,
  ) {}

  get uri(): string {
    return this.document.uri;
  }

  get version(): number {
    return this.document.version;
  }

  get text(): string {
    return this.document.getText();
  }

  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    // The worker's copy gets the changes as applied here, ranges clamped: both copies stay the same text.
    const applied = changes.map((raw) => {
      const change = 'range' in raw ? wellFormed(this.document, raw).change : raw;
      this.document = TextDocument.update(this.document, [change], version);
      return change;
    });
    // A worker that does not hold the document gets its whole text with the next request instead.
    if (this.openIn === this.worker.generation) this.worker.send({ kind: 'change', uri: this.uri, changes: applied, version });
  }

  analyze(request: AnalysisRequest): Promise<BackgroundResult> {
    this.sync();
    return this.worker.request((id) => ({ kind: 'analyze', id, uri: this.uri, request }));
  }

  codeActions(diagnostics: readonly Diagnostic[]): Promise<CodeAction[]> {
    this.sync();
    return this.worker.request((id) => ({ kind: 'codeActions', id, uri: this.uri, diagnostics }));
  }

  /** Forget what the analyzer remembers (settings or workspace facts changed). */
  reset(): void {
    if (this.openIn === this.worker.generation) this.worker.send({ kind: 'reset', uri: this.uri });
  }

  dispose(): void {
    if (this.openIn === this.worker.generation) this.worker.send({ kind: 'close', uri: this.uri });
    this.openIn = -1;
  }

  /** Opens the document in the running worker unless it holds it already. */
  private sync(): void {
    const generation = this.worker.current();
    if (this.openIn === generation) return;
    this.worker.send({ kind: 'open', uri: this.uri, path: this.path, language: this.language, version: this.version, text: this.text });
    this.openIn = generation;
  }
}
