// The language server's background worker (dist/analysis-worker.js): holds the big documents, keeps their trees in
// step with the edits it is sent, and answers analyses and quick fixes for them. See background.ts.
import { parentPort } from 'node:worker_threads';
import { loadAllLanguages } from '../analysis/parse/grammars';
import { AnalysisTimeout, ParseTimeout, skipReason } from '../analysis/parse/source';
import type { BackgroundResult, FromWorker, ToWorker } from './background';
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

function analyze(doc: OpenDocument, request: Extract<ToWorker, { kind: 'analyze' }>['request']): BackgroundResult {
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
// them. An analysis sees every edit that came before it, and perhaps some that came after: it says which version
// it analysed.
const analyses: Extract<ToWorker, { kind: 'analyze' }>[] = [];
let draining = false;

function drain(): void {
  const next = analyses.shift();
  if (next) reply(next, () => handle(next));
  draining = analyses.length > 0;
  if (draining) setImmediate(drain);
}

let queue: Promise<unknown> = ready.catch(() => undefined);
port.on('message', (message: ToWorker) => {
  queue = queue.then(() => {
    if (message.kind !== 'analyze') return reply(message, () => handle(message));
    analyses.push(message);
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  });
});
