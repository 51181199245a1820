// Runs the analysis in a Web Worker so the panel stays responsive whatever the size of the paste.
//
// A webview cannot start a Worker from its script URL: the script is served from the webview's resource origin
// (vscode-resource / vscode-cdn), which differs from the page's origin, and Worker() only accepts same-origin URLs.
// So the bundled media/worker.js is fetched once and started from a Blob URL (CSP: `connect-src` for the fetch,
// `worker-src blob:` for the worker), as VS Code's webview guide recommends.
import type { FromWorker, ToWorker, WorkerInput } from './worker-protocol';
import type { PanelView } from './view-model';

export interface AnalysisResult {
  view: PanelView;
  markdown: string;
  ms: number;
}

export interface AnalysisEvents {
  started(chars: number): void;
  finished(result: AnalysisResult): void;
  failed(message: string): void;
}

export async function workerBlobUrl(scriptUrl: string): Promise<string> {
  const response = await fetch(scriptUrl);
  if (!response.ok) throw new Error(`cannot load the analysis worker (${scriptUrl}): HTTP ${response.status}`);
  const blob = new Blob([await response.arrayBuffer()], { type: 'text/javascript' });
  return URL.createObjectURL(blob);
}

interface Pending {
  worker: Worker;
  resolve(value: FromWorker): void;
  reject(error: Error): void;
}

export class AnalysisClient {
  private readonly url: Promise<string>;
  private worker: Worker | null = null;
  private seq = 0;
  private running: number | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(scriptUrl: string, private readonly events: AnalysisEvents) {
    this.url = workerBlobUrl(scriptUrl);
    this.url.catch((error: unknown) => events.failed(error instanceof Error ? error.message : String(error)));
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Analyses the inputs; a newer call supersedes a running one (its worker is stopped, not waited for). */
  async analyze(inputs: WorkerInput[]): Promise<void> {
    const seq = ++this.seq;
    let url: string;
    try {
      url = await this.url;
    } catch {
      return; // already reported by the constructor
    }
    if (seq !== this.seq) return;
    // A 100 MB analysis takes seconds and cannot be interrupted from inside: a fresh worker is the way to cancel.
    if (this.running !== null) this.stop();
    const worker = this.analysisWorker(url);
    this.running = seq;
    this.events.started(inputs.reduce((n, i) => n + i.text.length, 0));
    const request: ToWorker = { type: 'analyze', seq, inputs };
    worker.postMessage(request);
  }

  /** Forgets a running analysis (the inputs were cleared). */
  cancel(): void {
    this.seq++;
    if (this.running !== null) this.stop();
  }

  /** The last report as JSON text, or null when there is none. */
  async exportJson(): Promise<string | null> {
    const worker = this.worker;
    if (worker === null) return null;
    const answer = await this.request(worker, (id) => ({ type: 'exportJson', id }));
    if (answer.type === 'refused') throw new Error(answer.message);
    return answer.type === 'json' ? answer.json : null;
  }

  /** Decodes a dropped file in a worker of its own, so it neither waits for nor cancels an analysis. */
  async decode(bytes: Uint8Array): Promise<string> {
    const worker = new Worker(await this.url);
    try {
      const answer = await this.request(worker, (id) => ({ type: 'decode', id, bytes }), [bytes.buffer as ArrayBuffer]);
      if (answer.type === 'refused') throw new Error(answer.message);
      if (answer.type !== 'decoded') throw new Error('unexpected answer from the decoder');
      return answer.text;
    } finally {
      worker.terminate();
    }
  }

  private analysisWorker(url: string): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(url);
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.received(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.running = null;
      this.events.failed(event.message || 'the analysis worker stopped');
      this.stop();
    });
    this.worker = worker;
    return worker;
  }

  private received(message: FromWorker): void {
    if (message.type === 'result' || message.type === 'failed') {
      if (message.seq !== this.running) return;
      this.running = null;
      if (message.type === 'result') this.events.finished({ view: message.view, markdown: message.markdown, ms: message.ms });
      else this.events.failed(message.message);
      return;
    }
    this.settle(message);
  }

  private settle(message: FromWorker): void {
    if (message.type !== 'decoded' && message.type !== 'json' && message.type !== 'refused') return;
    const pending = this.pending.get(message.id);
    this.pending.delete(message.id);
    pending?.resolve(message);
  }

  private request(worker: Worker, make: (id: number) => ToWorker, transfer: Transferable[] = []): Promise<FromWorker> {
    const id = ++this.nextId;
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      if (worker !== this.worker) {
        // A one-off worker: its answers do not go through the analysis worker's listener.
        worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.settle(event.data));
        worker.addEventListener('error', (event) => {
          event.preventDefault();
          this.pending.delete(id);
          reject(new Error(event.message || 'the decoder stopped'));
        });
      }
      worker.postMessage(make(id), transfer);
    });
  }

  private stop(): void {
    const worker = this.worker;
    worker?.terminate();
    this.worker = null;
    this.running = null;
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue;
      this.pending.delete(id);
      pending.reject(new Error('the analysis was restarted'));
    }
  }
}
