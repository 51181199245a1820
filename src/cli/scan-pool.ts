// Parallel scans on worker threads and the main thread, in two passes over the same files. First the workspace facts:
// batches of files go out, each file's facts come back (the main thread starts on its share at once, while the
// workers still load the grammars). Then, the facts combined, each worker gets the analysis options (facts included)
// and batches of files: paths go out, plain-data outcomes come back. Both come back in walk order, so the report
// equals a serial scan's. The main thread takes batches too, the smallest, between handing out the workers' next ones
// (the largest first): each worker is kept two batches ahead so that it never waits while the main thread works.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions } from '../analysis/engine';
import type { FileFacts } from '../analysis/facts';
import { holdsParsed, type FileJob, type FileOutcome } from './scan-file';

export type ToWorker = { readonly options: AnalyzeOptions } | { readonly facts: readonly FileJob[] } | { readonly batch: readonly FileJob[] };
export type FromWorker =
  | { readonly facts: readonly { readonly index: number; readonly facts: FileFacts | undefined; readonly kept: boolean }[] }
  | { readonly outcomes: readonly { readonly index: number; readonly outcome: FileOutcome }[] }
  | { readonly error: string };

/** One pass over the files: what a worker is sent for a batch, and how its answer and this thread's work read. */
interface Pass<T> {
  readonly request: (batch: readonly FileJob[]) => ToWorker;
  /** Worker `w`'s answer. */
  readonly results: (message: FromWorker, w: number) => readonly { readonly index: number; readonly value: T }[];
  readonly local: (job: FileJob) => T;
  /** The thread a job must go to, if any: a worker's number, or LOCAL for this thread. */
  readonly owner?: (job: FileJob) => number | undefined;
}

/** This thread, as the owner of a job (see Pass.owner). */
const LOCAL = -1;

/** The bundled worker next to this bundle; none when running from TypeScript sources (tests via tsx). */
export function workerScript(): string | undefined {
  const path = join(__dirname, 'scan-worker.js');
  return existsSync(path) ? path : undefined;
}

/**
 * Batches for `threads` analysing threads: the largest files first, so that no large file is left to the end while
 * the other threads wait (outcomes go back in walk order whatever the order of the work), in batches of about an
 * eighth of each thread's share: a few dozen small files amortise a message round trip, a large file goes alone.
 * Sizes are the files' sizes on disk (0 when unknown, which keeps the walk's order).
 */
export function planBatches(jobs: readonly FileJob[], sizes: readonly number[], threads: number): FileJob[][] {
  const order = jobs.map((_, k) => k).sort((a, b) => (sizes[b] ?? 0) - (sizes[a] ?? 0) || a - b);
  const total = order.reduce((n, k) => n + (sizes[k] ?? 0), 0);
  const files = Math.max(1, Math.min(32, Math.ceil(jobs.length / (threads * 8))));
  const bytes = Math.max(1, total / (threads * 8));
  const batches: FileJob[][] = [];
  let batch: FileJob[] = [];
  let batchBytes = 0;
  for (const k of order) {
    if (batch.length > 0 && (batch.length >= files || batchBytes + (sizes[k] ?? 0) > bytes)) {
      batches.push(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(jobs[k]);
    batchBytes += sizes[k] ?? 0;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

export class ScanPool {
  private readonly workers: Worker[];
  /** Set by the first worker that fails or exits early; `analyze` rejects with it. */
  private failure: Error | undefined;
  private onFailure: (error: Error) => void = () => {};
  /** Each worker's answers go to the pass under way (one listener per worker, whatever the number of passes). */
  private readonly onMessage: ((message: FromWorker) => void)[] = [];
  private closed = false;
  /** The worker holding the facts pass's tree of each job's file (by job index): its analysis goes there. */
  private readonly holders = new Map<number, number>();

  constructor(script: string, size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(script));
    this.workers.forEach((worker, w) => worker.on('message', (message: FromWorker) => this.onMessage[w]?.(message)));
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
   * The facts of each job's file (the first pass), in job order: `local` is this thread's way to read them. A thread
   * that keeps a file's tree for its analysis (see scan-file.ts) is given that file's analysis.
   */
  facts(jobs: readonly FileJob[], sizes: readonly number[], local: (job: FileJob) => FileFacts | undefined): Promise<(FileFacts | undefined)[]> {
    this.holders.clear();
    return this.run(jobs, sizes, () => {}, {
      request: (batch) => ({ facts: batch }),
      results: (message, w) => {
        if (!('facts' in message)) return [];
        return message.facts.map(({ index, facts, kept }) => {
          if (kept) this.holders.set(index, w);
          return { index, value: facts };
        });
      },
      local,
    });
  }

  /**
   * Analyses `jobs` (of these sizes, see planBatches) with `options` (plain data: it is structured-cloned to each
   * worker), the workers and `local` (this thread) sharing the batches; outcomes in job order.
   */
  analyze(jobs: readonly FileJob[], sizes: readonly number[], options: AnalyzeOptions, onProgress: (done: number) => void, local: (job: FileJob) => FileOutcome): Promise<FileOutcome[]> {
    for (const worker of this.workers) worker.postMessage({ options } satisfies ToWorker);
    return this.run(jobs, sizes, onProgress, {
      request: (batch) => ({ batch }),
      results: (message) => ('outcomes' in message ? message.outcomes.map(({ index, outcome }) => ({ index, value: outcome })) : []),
      local,
      owner: (job) => this.holders.get(job.index) ?? (holdsParsed(job) ? LOCAL : undefined),
    });
  }

  private run<T>(jobs: readonly FileJob[], sizes: readonly number[], onProgress: (done: number) => void, pass: Pass<T>): Promise<T[]> {
    const threads = this.workers.length + 1;
    // Jobs bound to a thread are that thread's first batches; the others are shared, as planBatches orders them.
    const owned = new Map<number, FileJob[]>();
    const shared: FileJob[] = [];
    for (const job of jobs) {
      const owner = pass.owner?.(job);
      const list = owner === undefined ? shared : owned.get(owner);
      if (list) list.push(job);
      else owned.set(owner!, [job]);
    }
    const batchesOf = (some: readonly FileJob[]) => planBatches(some, some.map((job) => sizes[job.index] ?? 0), threads);
    const batches = batchesOf(shared);
    const own = new Map([...owned].map(([owner, some]) => [owner, batchesOf(some)]));
    // Workers take the largest batches first, this thread the smallest: it hands out the workers' batches only
    // between two of its own, so a large one here left a worker waiting (4 s of a node_modules scan) when its
    // batches were quick (files skipped for their size).
    const nextBatch = (thread: number): FileJob[] | undefined => own.get(thread)?.shift() ?? (thread === LOCAL ? batches.pop() : batches.shift());
    const results: T[] = new Array(jobs.length);
    let done = 0;
    return new Promise<T[]>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (jobs.length === 0) return resolve(results);
      let failed = false;
      const fail = (error: Error): void => {
        failed = true;
        reject(error);
      };
      this.onFailure = fail;
      const finished = (count: number): void => {
        done += count;
        onProgress(done);
        if (done === jobs.length) resolve(results);
      };
      const feed = (worker: Worker, w: number) => {
        const batch = nextBatch(w);
        if (batch) worker.postMessage(pass.request(batch));
      };
      this.workers.forEach((worker, w) => {
        this.onMessage[w] = (message: FromWorker) => {
          if ('error' in message) return fail(new Error(`scan worker failed: ${message.error}`));
          const answered = pass.results(message, w);
          for (const { index, value } of answered) results[index] = value;
          feed(worker, w);
          finished(answered.length);
        };
        feed(worker, w);
        feed(worker, w);
      });
      // This thread's share: one batch at a time, yielding between batches so that finished workers get new ones.
      const next = (): void => {
        if (failed) return;
        const batch = nextBatch(LOCAL);
        if (!batch) return;
        for (const job of batch) results[job.index] = pass.local(job);
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
