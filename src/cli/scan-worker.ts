// A scan worker thread (dist/scan-worker.js): loads the grammars at once, receives the analysis options (with the
// workspace facts) when the main thread has gathered them, then analyses each batch of files it is sent and answers
// with the outcomes. See scan-pool.ts.
import { parentPort } from 'node:worker_threads';
import type { AnalyzeOptions } from '../analysis/engine';
import { loadAllLanguages } from '../analysis/parse/grammars';
import { scanFile } from './scan-file';
import type { FromWorker, ToWorker } from './scan-pool';

const port = parentPort;
if (!port) throw new Error('scan-worker.js runs as a worker thread of closewait scan');
const ready = loadAllLanguages();
let options: AnalyzeOptions = {};

port.on('message', (message: ToWorker) => {
  if ('options' in message) {
    options = message.options;
    return;
  }
  const { batch } = message;
  ready
    .then(() => batch.map((job) => ({ index: job.index, outcome: scanFile(job, options) })))
    .then(
      (outcomes) => port.postMessage({ outcomes } satisfies FromWorker),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromWorker),
    );
});
