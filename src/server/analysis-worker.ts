// The language server's background worker (dist/analysis-worker.js): holds the big documents, keeps their trees in
// step with the edits it is sent, and answers analyses and quick fixes for them. See background.ts.
import { parentPort } from 'node:worker_threads';
import { loadAllLanguages, type LanguageId } from '../analysis/parse/grammars';
import { AnalysisTimeout, ParseTimeout, skipReason } from '../analysis/parse/source';
import { readText } from '../files/read-source';
import type { BackgroundResult, FromWorker, Prepared, ToWorker } from './background';
import { codeActionsFor } from './code-actions';
import { createDocument, OpenDocument } from './documents';
import { serverRules } from './rule-set';
import { warmUp } from './warm-up';

/**
 * How long parsing, and then the rules, may take on one big document. Longer than the command line's budget: here
 * nobody waits on it, and the findings of a big file are worth seconds. CLOSEWAIT_BACKGROUND_BUDGET_MS sets it (a
 * test seam for a document that runs out of time).
 */
const BUDGET_MS = Number(process.env.CLOSEWAIT_BACKGROUND_BUDGET_MS) || 30_000;

const port = parentPort;
if (!port) throw new Error('analysis-worker.js runs as a worker thread of the CloseWait language server');
const ready = loadAllLanguages();
const rules = serverRules();
const documents = new Map<string, OpenDocument>();
/**
 * The findings of the workspace's big files as on disk, analysed before they are opened (the `prepare` message), by
 * workspace-relative path. A document opened with that text, language and analysis key gets them at once.
 */
const prepared = new Map<string, { readonly text: string; readonly language: LanguageId; readonly key: string; readonly result: BackgroundResult }>();
/** Open documents analysed at least once: only a first analysis may be answered from `prepared`. */
const analysedOnce = new WeakSet<OpenDocument>();

/**
 * Work for when no message came for IDLE_MS and no analysis is queued: the documents opened in a burst (an editor
 * restoring its tabs, several files opened one after the other) get their prepared findings first.
 */
const whenIdle: (() => void)[] = [];
const IDLE_MS = 200;

type Request = Extract<ToWorker, { kind: 'analyze' }>['request'];

function analyze(doc: OpenDocument, request: Request): BackgroundResult {
  if (!analysedOnce.has(doc)) {
    analysedOnce.add(doc);
    const ready = prepared.get(doc.path);
    if (ready && ready.key === request.key && ready.language === doc.language && ready.text === doc.text) {
      // The tree and the incremental analyzer's memory are still to be made: once idle, so that the first edit
      // finds them (an edit that comes first is analysed in full, as the first analysis of any opened document is).
      whenIdle.push(() => documents.get(doc.uri) === doc && analyzeQuietly(doc, request));
      return { ...ready.result, version: doc.version, prepared: true };
    }
  }
  const version = doc.version;
  const reason = skipReason(doc.path, doc.text);
  if (reason) return { version, skipped: reason };
  try {
    const { key, ...options } = request;
    const { findings, failures, hidden, role } = doc.analyzer.analyze(doc.source(), { ...options, ruleSet: rules, deadlineMs: BUDGET_MS }, key);
    return { version, findings, failures, hidden, role };
  } catch (error) {
    if (error instanceof AnalysisTimeout || error instanceof ParseTimeout) return { version, skipped: error.message };
    throw error;
  }
}

/** A first analysis no one waits for: what it finds comes back with the next edit's analysis. */
function analyzeQuietly(doc: OpenDocument, request: Request): void {
  try {
    analyze(doc, request);
  } catch {
    // The next analysis asked for meets the same error, and reports it.
  }
}

/** Reads a big file of the workspace and analyses it as it would be once opened (see `prepared`). */
function prepare(message: Extract<ToWorker, { kind: 'prepare' }>): Prepared {
  // Opened before its turn came: its own analysis was first (see drain), and nothing is left to prepare.
  for (const doc of documents.values()) if (doc.path === message.path) return { chars: 0 };
  const text = readText(message.file);
  if (text === undefined) return { chars: 0 };
  const doc = new OpenDocument(createDocument(`prepared:${message.path}`, message.language, 0, text), message.path, message.language, BUDGET_MS);
  analysedOnce.add(doc);
  try {
    prepared.set(message.path, { text, language: message.language, key: message.request.key, result: analyze(doc, message.request) });
  } finally {
    doc.dispose();
  }
  return { chars: text.length };
}

function handle(message: ToWorker): unknown {
  switch (message.kind) {
    case 'open':
      documents.get(message.uri)?.dispose();
      documents.set(message.uri, new OpenDocument(createDocument(message.uri, message.language, message.version, message.text), message.path, message.language, BUDGET_MS));
      return undefined;
    case 'change':
      documents.get(message.uri)?.applyChanges(message.changes, message.version);
      return undefined;
    case 'reset':
      documents.get(message.uri)?.analyzer.reset();
      return undefined;
    case 'warm-up': {
      const started = performance.now();
      warmUp(rules);
      return Math.round(performance.now() - started);
    }
    case 'prepare':
      return prepare(message);
    case 'close':
      documents.get(message.uri)?.dispose();
      documents.delete(message.uri);
      return undefined;
    case 'analyze':
    case 'codeActions': {
      const doc = documents.get(message.uri);
      if (!doc) throw new Error(`${message.uri} is not open in the background`);
      return message.kind === 'analyze' ? analyze(doc, message.request) : codeActionsFor(doc.source(), message.uri, message.diagnostics);
    }
  }
}

function reply(message: ToWorker, run: () => unknown): void {
  let answer: FromWorker | undefined;
  try {
    const result = run();
    if ('id' in message) answer = { id: message.id, result };
  } catch (error) {
    if ('id' in message) answer = { id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  if (answer) port!.postMessage(answer);
}

// Edits, quick fixes and the rest are handled in arrival order as they come (they are quick); analyses (which may
// take seconds) one at a time in between, so a quick fix waits for at most the analysis under way, not for all of
// them, and the open documents' analyses before the preparing of files not open. An analysis sees every edit that
// came before it, and perhaps some that came after: it says which version it analysed.
const analyses: Extract<ToWorker, { kind: 'analyze' }>[] = [];
const preparations: Extract<ToWorker, { kind: 'prepare' }>[] = [];
let draining = false;

function drain(): void {
  const next = analyses.shift() ?? preparations.shift();
  if (next) reply(next, () => handle(next));
  draining = analyses.length + preparations.length > 0;
  if (draining) setImmediate(drain);
  else idleSoon();
}

let idleTimer: NodeJS.Timeout | undefined;

/** (Re)starts the wait for idleness: every message puts it off. */
function idleSoon(): void {
  clearTimeout(idleTimer);
  if (whenIdle.length > 0) idleTimer = setTimeout(idle, IDLE_MS);
}

function idle(): void {
  if (draining) return; // drain starts the wait again when it is done
  whenIdle.shift()?.();
  idleSoon();
}

let queue: Promise<unknown> = ready.catch(() => undefined);
port.on('message', (message: ToWorker) => {
  idleSoon();
  queue = queue.then(() => {
    if (message.kind === 'analyze') analyses.push(message);
    else if (message.kind === 'prepare') preparations.push(message);
    else return reply(message, () => handle(message));
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  });
});
