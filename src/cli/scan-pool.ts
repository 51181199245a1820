// Parallel analysis on worker threads and the main thread. The workers start (and load the grammars) while the main
// thread still gathers the workspace facts; then each gets the analysis options, facts included, and batches of
// files: paths go out, plain-data outcomes come back, and they are put back in walk order so the report equals a
// serial scan's. The main thread takes batches too, between handing out the workers' next ones: each worker is
// kept two batches ahead so that it never waits while the main thread analyses.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions } from '../analysis/engine';
import type { FileJob, FileOutcome } from './scan-file';

export type ToWorker = { readonly options: AnalyzeOptions } | { readonly batch: readonly FileJob[] };
export type FromWorker =
  | { readonly outcomes: readonly { readonly index: number; readonly outcome: FileOutcome }[] }
  | { readonly error: string };

/** The bundled worker next to this bundle; none when running from TypeScript sources (tests via tsx). */
export function workerScript(): string | undefined {
  const path = join(__dirname, 'scan-worker.js');
  return existsSync(path) ? path : undefined;
}

/** Small batches keep every worker busy to the end; a few dozen files amortise a message round trip many times. */
function batchSize(files: number, workers: number): number {
  return Math.max(1, Math.min(32, Math.ceil(files / (workers * 8))));
}

export class ScanPool {
  private readonly workers: Worker[];
  /** Set by the first worker that fails or exits early; `analyze` rejects with it. */
  private failure: Error | undefined;
  private onFailure: (error: Error) => void = () => {};
  private closed = false;

  constructor(script: string, size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(script));
    for (const worker of this.workers) {
      const fail = (error: Error) => {
        if (this.closed || this.failure) return;
        this.failure = error;
        this.onFailure(error);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`scan worker exited with code ${code} before the scan was done`)));
    }
  }

  /**
   * Analyses `jobs` with `options` (plain data: it is structured-cloned to each worker), the workers and `local`
   * (this thread) sharing the batches; outcomes in job order.
   */
  analyze(jobs: readonly FileJob[], options: AnalyzeOptions, onProgress: (done: number) => void, local: (job: FileJob) => FileOutcome): Promise<FileOutcome[]> {
    const size = batchSize(jobs.length, this.workers.length + 1);
    const batches: FileJob[][] = [];
    for (let i = 0; i < jobs.length; i += size) batches.push(jobs.slice(i, i + size));
    const outcomes: FileOutcome[] = new Array(jobs.length);
    let done = 0;
    return new Promise<FileOutcome[]>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (jobs.length === 0) return resolve(outcomes);
      let failed = false;
      const fail = (error: Error): void => {
        failed = true;
        reject(error);
      };
      this.onFailure = fail;
      const finished = (count: number): void => {
        done += count;
        onProgress(done);
        if (done === jobs.length) resolve(outcomes);
      };
      const feed = (worker: Worker) => {
        const batch = batches.shift();
        if (batch) worker.postMessage({ batch } satisfies ToWorker);
      };
      for (const worker of this.workers) {
        worker.on('message', (message: FromWorker) => {
          if ('error' in message) return fail(new Error(`scan worker failed: ${message.error}`));
          for (const { index, outcome } of message.outcomes) outcomes[index] = outcome;
          feed(worker);
          finished(message.outcomes.length);
        });
        worker.postMessage({ options } satisfies ToWorker);
        feed(worker);
        feed(worker);
      }
      // This thread's share: one batch at a time, yielding between batches so that finished workers get new ones.
      const next = (): void => {
        if (failed) return;
        const batch = batches.shift();
        if (!batch) return;
        for (const job of batch) outcomes[job.index] = local(job);
        finished(batch.length);
        setImmediate(next);
      };
      setImmediate(next);
    });
  }

  close(): void {
    this.closed = true;
    for (const worker of this.workers) void worker.terminate();
  }
}
