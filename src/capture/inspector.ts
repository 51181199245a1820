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

export class InspectorSession {
  private nextId = 1;

  private constructor(private readonly socket: WebSocketClient) {}

  static async open(url: string, timeoutMs: number): Promise<InspectorSession> {
    return new InspectorSession(await connectWebSocket(url, timeoutMs));
  }

  /** The value of `expression` in the target (a string, number... returned by value); throws on an exception. */
  async evaluate(expression: string, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true, silent: true } }));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = JSON.parse(await this.socket.receive(Math.max(1, deadline - Date.now()), signal)) as {
        id?: number;
        error?: { message?: string };
        result?: { result?: { value?: unknown }; exceptionDetails?: { exception?: { description?: string }; text?: string } };
      };
      // Events (none are enabled, but a target may send some) and answers to earlier requests are skipped.
      if (message.id !== id) continue;
      if (message.error !== undefined) throw new Error(`the inspector refused: ${message.error.message ?? 'unknown error'}`);
      const thrown = message.result?.exceptionDetails;
      if (thrown !== undefined) throw new Error(`the expression threw: ${thrown.exception?.description?.split('\n')[0] ?? thrown.text ?? 'an exception'}`);
      return message.result?.result?.value;
    }
  }

  close(): void {
    this.socket.close();
  }
}
