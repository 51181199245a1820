// The Node.js inspector, as far as a capture needs it: list a port's debug targets (`/json/list`), then evaluate
// expressions in the target over the Chrome DevTools Protocol (`Runtime.evaluate`).
import http from 'node:http';
import { connectWebSocket, type WebSocketClient } from './websocket';

interface DebugTarget {
  webSocketDebuggerUrl?: unknown;
}

/** The WebSocket URLs an inspector on `host:port` offers; [] when nothing answers there like an inspector. */
export function inspectorTargets(host: string, port: number, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve) => {
    const request = http.get({ host, port, path: '/json/list', timeout: timeoutMs, headers: { host: `${host}:${port}` } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 1024 * 1024) request.destroy();
      });
      response.on('end', () => {
        try {
          const list = JSON.parse(body) as DebugTarget[];
          resolve(Array.isArray(list) ? list.map((t) => t.webSocketDebuggerUrl).filter((u): u is string => typeof u === 'string' && u.startsWith('ws://')) : []);
        } catch {
          resolve([]);
        }
      });
      response.on('error', () => resolve([]));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve([]));
  });
}

interface Answer {
  id?: number;
  error?: { message?: string };
  result?: { result?: { value?: unknown }; exceptionDetails?: { exception?: { description?: string }; text?: string } };
}

/** A Chrome DevTools Protocol session: requests in flight at once, each answer matched to its request by id. */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  private ended: Error | null = null;

  private constructor(private readonly socket: WebSocketClient) {
    socket.onMessage((text) => {
      let answer: Answer;
      try {
        answer = JSON.parse(text) as Answer;
      } catch {
        return;
      }
      // Events (none are enabled, but a target may send some) have no id.
      if (answer.id !== undefined) this.pending.get(answer.id)?.resolve(answer);
    });
    socket.onEnd((error) => {
      this.ended = error;
      for (const request of [...this.pending.values()]) request.reject(error);
    });
  }

  static async open(url: string, timeoutMs: number): Promise<InspectorSession> {
    return new InspectorSession(await connectWebSocket(url, timeoutMs));
  }

  /** The value of `expression` in the target (a string, number... returned by value); throws on an exception. */
  async evaluate(expression: string, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    const answer = await this.request('Runtime.evaluate', { expression, returnByValue: true, silent: true }, timeoutMs, signal);
    if (answer.error !== undefined) throw new Error(`the inspector refused: ${answer.error.message ?? 'unknown error'}`);
    const thrown = answer.result?.exceptionDetails;
    if (thrown !== undefined) throw new Error(`the expression threw: ${thrown.exception?.description?.split('\n')[0] ?? thrown.text ?? 'an exception'}`);
    return answer.result?.result?.value;
  }

  close(): void {
    this.socket.close();
  }

  private request(method: string, params: object, timeoutMs: number, signal?: AbortSignal): Promise<Answer> {
    if (this.ended !== null) return Promise.reject(this.ended);
    if (signal?.aborted) return Promise.reject(new Error('cancelled'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
      };
      const timer = setTimeout(() => (done(), reject(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
      const onAbort = (): void => (done(), reject(new Error('cancelled')));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve: (answer) => (done(), resolve(answer)), reject: (error) => (done(), reject(error)) });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}
