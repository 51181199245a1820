// A scan worker thread (dist/scan-worker.js): loads the grammars at once; reads the workspace facts of each batch of
// files it is sent in the first pass; then receives the analysis options (with the facts of the whole workspace)
// and analyses each batch of files it is sent, answering with the outcomes. See scan-pool.ts.
import { parentPort } from 'node:worker_threads';
import type { AnalyzeOptions } from '../analysis/engine';
import { loadAllLanguages } from '../analysis/parse/grammars';
import { factsOfJob, holdsParsed, scanFile } from './scan-file';
import type { FromWorker, ToWorker } from './scan-pool';

const port = parentPort;
if (!port) throw new Error('scan-worker.js runs as a worker thread of closewait scan');
const ready = loadAllLanguages();
let options: AnalyzeOptions = {};

function answer(message: Exclude<ToWorker, { readonly options: AnalyzeOptions }>): FromWorker {
  if ('facts' in message) return { facts: message.facts.map((job) => ({ index: job.index, facts: factsOfJob(job, true), kept: holdsParsed(job) })) };
  return { outcomes: message.batch.map((job) => ({ index: job.index, outcome: scanFile(job, options) })) };
}

port.on('message', (message: ToWorker) => {
  if ('options' in message) {
    options = message.options;
    return;
  }
  ready
    .then(() => answer(message))
    .then(
      (result) => port.postMessage(result),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromWorker),
    );
});
