// The analysis Web Worker: runs the dump core off the panel's UI thread, so a 100 MB paste never freezes the
// panel. It keeps the last full report for "Export JSON" and answers with the small view the panel draws.
import { analyzeDump, decodeDumpBytes, reportToMarkdown, type DumpReport } from '../dump/index';
import { buildPanelView } from './view-model';
import { isToWorker, type FromWorker, type ToWorker } from './worker-protocol';

// tsconfig has the DOM library, not WebWorker: this is the part of the worker scope we use.
interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}
const scope = self as unknown as WorkerScope;

let lastReport: DumpReport | null = null;

function analyze(request: Extract<ToWorker, { type: 'analyze' }>): FromWorker {
  const started = performance.now();
  try {
    const inputs = request.inputs.filter((i) => i.text.length > 0);
    lastReport = null;
    const report = analyzeDump(inputs.map((i) => ({ name: i.name, text: i.text })));
    lastReport = report;
    const view = buildPanelView(report, inputs.map((i) => i.slot));
    return { type: 'result', seq: request.seq, view, markdown: reportToMarkdown(report), ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { type: 'failed', seq: request.seq, message: error instanceof Error ? error.message : String(error) };
  }
}

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (!isToWorker(message)) return;
  switch (message.type) {
    case 'analyze':
      scope.postMessage(analyze(message));
      break;
    case 'decode':
      scope.postMessage({ type: 'decoded', id: message.id, text: decodeDumpBytes(message.bytes) });
      break;
    case 'exportJson':
      scope.postMessage({ type: 'json', id: message.id, json: lastReport === null ? null : JSON.stringify(lastReport, null, 2) + '\n' });
      break;
  }
});
