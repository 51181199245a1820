// The open documents and how each is analysed: on the main thread, incrementally as it is edited, or, when big or
// slow, on the background worker (background.ts); and what is said when one is not analysed: once, not on every
// keystroke.
import type { CodeAction, Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { FileAnalysis } from '../analysis/engine';
import type { Finding } from '../analysis/finding';
import { languageForPath, type LanguageId } from '../analysis/parse/grammars';
import { AnalysisTimeout, ParseTimeout, skipReason } from '../analysis/parse/source';
import type { Rule } from '../analysis/rules/rule';
import { AnalysisWorker, BACKGROUND_CHARS, BackgroundDocument, type AnalysisRequest } from './background';
import { codeActionsFor } from './code-actions';
import { createDocument, OpenDocument } from './documents';
import type { BigSource } from './workspace';

/** The most characters of big files the worker prepares at start-up (about half a second of analysis a million). */
const PREPARE_CHARS = 8 * 1024 * 1024;
/** Longer files are not prepared: the parser's memory would grow for them whether they are opened or not. */
const PREPARE_FILE_CHARS = 3 * 1024 * 1024;

export type LiveDocument = OpenDocument | BackgroundDocument;

/** What analysing open documents needs from the server. */
export interface LiveContext {
  /** What an analysis runs with now; `key` is the incremental analyzer's key for the settings and facts. */
  analysis(): AnalysisRequest & { readonly ruleSet: readonly Rule[] };
  excluded(path: string): boolean;
  /** A document was analysed: what the policy (test code, browser code) hid of its findings, and why. */
  analysed(doc: LiveDocument, result: Pick<FileAnalysis, 'hidden' | 'role'>): void;
  publish(doc: LiveDocument, version: number, findings: readonly Finding[]): void;
  /** Asks for `validate(uri)` after the messages already queued. */
  schedule(uri: string): void;
  log(message: string): void;
  logFailure(path: string, rule: string, message: string): void;
  /** A message for the user, not only the log. */
  warn(message: string): void;
}

export class LiveDocuments {
  private readonly documents = new Map<string, LiveDocument>();
  /** Why an open document is not analysed, once logged (so it is not logged again on every keystroke). */
  private readonly notAnalysed = new Map<string, string>();
  private readonly worker: AnalysisWorker | undefined;

  constructor(private readonly context: LiveContext) {
    this.worker = AnalysisWorker.create((message) => context.log(message));
  }

  /**
   * Starts the background worker ahead of the first big document, warmed up: without it, that document's first
   * analysis pays for starting the worker, loading the grammars and running cold code, about half of it. Then the
   * worker analyses the workspace's big files as they are on disk (the longest first, each up to PREPARE_FILE_CHARS,
   * PREPARE_CHARS in all), so that one opened unchanged shows its findings at once: a 2 MB TypeScript file takes
   * about a second to parse and analyse. A worker costs some 45 MB, and the parser's memory, grown for the longest
   * file prepared, up to about 38 bytes a character of TypeScript (117 MB for 3 M characters): only for a
   * workspace that has such a document.
   */
  warmUpBackground(bigSources: readonly BigSource[]): void {
    const worker = this.worker;
    if (bigSources.length === 0 || !worker) return;
    const largest = kilo(bigSources[0].chars);
    const prepareAll = async (): Promise<string> => {
      const warmUpMs = await worker.warmUp();
      const started = performance.now();
      let [files, chars, budget] = [0, 0, PREPARE_CHARS];
      for (const source of bigSources) {
        const language = languageForPath(source.path);
        if (!language || source.chars > PREPARE_FILE_CHARS || source.chars > budget) continue;
        budget -= source.chars;
        const prepared = await worker.prepare(source.file, source.path, language, this.backgroundRequest());
        if (prepared.chars > 0) [files, chars] = [files + 1, chars + prepared.chars];
      }
      const preparedMs = Math.round(performance.now() - started);
      return `in ${warmUpMs} ms; the findings of ${files} of ${bigSources.length} prepared (${kilo(chars)} K characters) in ${preparedMs} ms`;
    };
    prepareAll().then(
      (done) => this.context.log(`the background analysis is warmed up for the workspace's big files (${largest} K characters the largest) ${done}`),
      (error: unknown) => this.context.log(`warming up the background analysis failed: ${describe(error)}`),
    );
  }

  get(uri: string): LiveDocument | undefined {
    return this.documents.get(uri);
  }

  values(): IterableIterator<LiveDocument> {
    return this.documents.values();
  }

  open(uri: string, path: string, language: LanguageId, languageId: string, version: number, text: string): void {
    this.close(uri);
    const document = createDocument(uri, languageId, version, text);
    const doc = this.worker && text.length > BACKGROUND_CHARS ? this.inBackground(new BackgroundDocument(document, path, language, this.worker)) : new OpenDocument(document, path, language);
    this.documents.set(uri, doc);
  }

  /** Closes `uri`; false when it was not open. */
  close(uri: string): boolean {
    const doc = this.documents.get(uri);
    if (!doc) return false;
    doc.dispose();
    this.documents.delete(uri);
    this.notAnalysed.delete(uri);
    return true;
  }

  applyChanges(uri: string, changes: readonly TextDocumentContentChangeEvent[], version: number): boolean {
    const doc = this.documents.get(uri);
    doc?.applyChanges(changes, version);
    return doc !== undefined;
  }

  /** Forget what the analyzers remember and give big documents another chance (settings or facts changed). */
  resetAll(): void {
    for (const doc of this.documents.values()) {
      doc.reset();
      if (doc instanceof BackgroundDocument) doc.gaveUpAt = undefined;
    }
  }

  codeActions(doc: LiveDocument, diagnostics: readonly Diagnostic[]): CodeAction[] | Promise<CodeAction[]> {
    const failed = (error: unknown) => {
      this.context.log(`quick fixes failed for ${doc.path}: ${describe(error)}`);
      return [];
    };
    if (doc instanceof BackgroundDocument) return doc.codeActions(diagnostics).catch(failed);
    try {
      return codeActionsFor(doc.source(), doc.uri, diagnostics);
    } catch (error) {
      return failed(error);
    }
  }

  dispose(): void {
    this.worker?.dispose();
  }

  /** Analyses `uri` and publishes its findings (a background analysis publishes when it is back). */
  validate(uri: string): void {
    let doc = this.documents.get(uri);
    if (!doc) return;
    const { context } = this;
    if (context.excluded(doc.path)) return context.publish(doc, doc.version, []);
    const reason = skipReason(doc.path, doc.text);
    if (reason) {
      this.skipped(doc, reason);
      return context.publish(doc, doc.version, []);
    }
    // Grown big: from now on it is analysed in the background.
    if (doc instanceof OpenDocument && this.worker && doc.text.length > BACKGROUND_CHARS) doc = this.toBackground(doc, this.worker);
    if (doc instanceof BackgroundDocument) return this.validateInBackground(doc);
    let findings: readonly Finding[] = [];
    try {
      const { key, ...options } = context.analysis();
      const result = doc.analyzer.analyze(doc.source(), options, key);
      findings = result.findings;
      this.notAnalysed.delete(doc.uri);
      for (const failure of result.failures) context.logFailure(doc.path, failure.rule, failure.message);
      context.analysed(doc, result);
    } catch (error) {
      if (!(error instanceof AnalysisTimeout || error instanceof ParseTimeout)) context.log(`analysis of ${doc.path} failed: ${describe(error)}`);
      else if (this.worker) {
        // Small but slow (generated code): it gets the background's time, and stops holding up the server.
        context.log(`${doc.path}: ${error.message} on the main thread`);
        return this.validateInBackground(this.toBackground(doc, this.worker));
      } else this.skipped(doc, error.message);
    }
    context.publish(doc, doc.version, findings);
  }

  private toBackground(doc: OpenDocument, worker: AnalysisWorker): BackgroundDocument {
    doc.dispose();
    const moved = this.inBackground(new BackgroundDocument(createDocument(doc.uri, doc.language, doc.version, doc.text), doc.path, doc.language, worker));
    this.documents.set(doc.uri, moved);
    return moved;
  }

  private inBackground(doc: BackgroundDocument): BackgroundDocument {
    this.context.log(`${doc.path} is analysed in the background (${kilo(doc.text.length)} K characters)`);
    return doc;
  }

  /** One analysis at a time per document; edits made meanwhile are analysed when it is back. */
  private validateInBackground(doc: BackgroundDocument): void {
    const { context } = this;
    if (doc.analyzing) {
      doc.changedWhileAnalyzing = true;
      return;
    }
    // After giving up on a document, edits do not try again (each try costs the whole budget) until it is a
    // quarter shorter; reopening it or changing settings does.
    if (doc.gaveUpAt !== undefined && doc.text.length > doc.gaveUpAt * 0.75) return context.publish(doc, doc.version, []);
    doc.analyzing = true;
    doc
      .analyze(this.backgroundRequest())
      .then(
        (result) => {
          if (this.documents.get(doc.uri) !== doc) return;
          if ('skipped' in result) {
            this.gaveUp(doc, result.skipped);
            return context.publish(doc, result.version, []);
          }
          doc.gaveUpAt = undefined;
          this.notAnalysed.delete(doc.uri);
          if (result.prepared) context.log(`${doc.path}: the findings prepared at start-up (it is as on disk)`);
          for (const failure of result.failures) context.logFailure(doc.path, failure.rule, failure.message);
          context.analysed(doc, result);
          context.publish(doc, result.version, result.findings);
        },
        (error: unknown) => {
          if (this.documents.get(doc.uri) === doc) this.gaveUp(doc, `the analysis failed: ${describe(error)}`);
        },
      )
      .finally(() => {
        doc.analyzing = false;
        if (doc.changedWhileAnalyzing) {
          doc.changedWhileAnalyzing = false;
          context.schedule(doc.uri);
        }
      });
  }

  /** What the worker needs of `context.analysis()` (its rules are its own). */
  private backgroundRequest(): AnalysisRequest {
    const { severities, profile, testCode, facts, key } = this.context.analysis();
    return { severities, profile, testCode, facts, key };
  }

  /** A big document the background analysis gave up on: said once, in the log and to the user. */
  private gaveUp(doc: BackgroundDocument, reason: string): void {
    doc.gaveUpAt = doc.text.length;
    if (this.notAnalysed.has(doc.uri)) return;
    this.skipped(doc, reason);
    const name = doc.path.slice(doc.path.lastIndexOf('/') + 1);
    this.context.warn(`CloseWait: ${name} is too large for live analysis (${reason}), so it shows no findings. Closing and reopening it tries again, and so does editing it down by a quarter.`);
  }

  /** Logs why a document is not analysed, once per reason while it stays open. */
  private skipped(doc: LiveDocument, reason: string): void {
    if (this.notAnalysed.get(doc.uri) === reason) return;
    this.notAnalysed.set(doc.uri, reason);
    this.context.log(`${doc.path} is not analysed: ${reason}`);
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** `chars` in thousands (K) for the log. */
function kilo(chars: number): string {
  return (chars / 1024).toFixed(0);
}
