// The analysis Web Worker: runs the dump core off the panel's UI thread, so a 100 MB paste never freezes the
// panel. It keeps the last full report for "Export JSON" and answers with the small view the panel draws.
import { analyzeDump, count, decodeDumpChunks, reportToMarkdown, type DumpReport } from '../dump/index';
import { jsonChunks } from '../dump/json';
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

/**
 * The most text one panel input holds: the input is one string, and V8 makes none longer (512 MiB of ASCII). Files
 * up to the core's 1 GiB are analysed by `closewait dump`, which keeps the text in pieces.
 */
const MAX_INPUT_CHARS = 2 ** 29 - 24;

/** A dropped file's bytes, decoded in pieces as the CLI does; refused with the reason when too long for an input. */
function decode(id: number, bytes: Uint8Array): FromWorker {
  try {
    const chunks = decodeDumpChunks(bytes);
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    if (length > MAX_INPUT_CHARS) return { type: 'refused', id, message: tooLong('the file', length) };
    return { type: 'decoded', id, text: chunks.length === 1 ? chunks[0] : chunks.join('') };
  } catch (error) {
    return { type: 'refused', id, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The last report as JSON text, written in pieces; a report too large for one string is refused with the reason. */
function exportJson(id: number): FromWorker {
  if (lastReport === null) return { type: 'json', id, json: null };
  const pieces: string[] = [];
  let length = 1;
  for (const piece of jsonChunks(lastReport)) {
    length += piece.length;
    if (length > MAX_INPUT_CHARS) return { type: 'refused', id, message: tooLong('the report as JSON', length, 'closewait dump --format json <files>') };
    pieces.push(piece);
  }
  pieces.push('\n');
  return { type: 'json', id, json: pieces.join('') };
}

function tooLong(what: string, chars: number, instead = 'closewait dump <file>'): string {
  const mib = (n: number): string => count(Math.ceil(n / 1024 ** 2));
  return `${what} is over ${mib(chars)} MiB of text, more than the panel holds (${mib(MAX_INPUT_CHARS)} MiB): run \`${instead}\` in a terminal, which reads up to 1 GiB`;
}

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (!isToWorker(message)) return;
  switch (message.type) {
    case 'analyze':
      scope.postMessage(analyze(message));
      break;
    case 'decode':
      scope.postMessage(decode(message.id, message.bytes));
      break;
    case 'exportJson':
      scope.postMessage(exportJson(message.id));
      break;
  }
});
