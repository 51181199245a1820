// The browser tests' stand-in for a VS Code webview: the page (built by the same panelHtml as the extension, so
// the same Content-Security-Policy) is served from one origin and media/ from another, as in VS Code, where the
// webview's resources come from a different origin than the page. Both on 127.0.0.1, on free ports.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { panelHtml } from '../../../src/panel/html';
import { repoRoot } from '../../helpers';

export interface Harness {
  /** The panel page; `theme` is light, dark or high-contrast. */
  pageUrl(theme?: string): string;
  pageOrigin: string;
  mediaOrigin: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /**
   * Extra files served beside media/ (e.g. a generated 50 MB dump), made on first request: the page's CSP lets it
   * fetch from there only.
   */
  files?: Record<string, () => string>;
}

const MEDIA_FILES: Record<string, string> = {
  '/media/panel.js': 'text/javascript',
  '/media/worker.js': 'text/javascript',
  '/media/panel.css': 'text/css',
};

function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const made = new Map<string, string>();
  let pageOrigin = '';

  const media = await listen((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    // The page fetches across origins (worker.js, as a webview does); VS Code's resource server allows it too.
    const cors = { 'Access-Control-Allow-Origin': pageOrigin };
    const make = options.files?.[path];
    if (make !== undefined) {
      let body = made.get(path);
      if (body === undefined) made.set(path, (body = make()));
      return send(response, 200, 'text/plain; charset=utf-8', body, cors);
    }
    const type = MEDIA_FILES[path];
    if (type === undefined) return send(response, 404, 'text/plain', 'not found');
    send(response, 200, type, readFileSync(join(repoRoot, path)), cors);
  });

  const page = await listen((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/panel.html') {
      const nonce = randomBytes(16).toString('base64');
      const html = panelHtml({
        cspSource: media.origin,
        nonce,
        scriptUri: `${media.origin}/media/panel.js`,
        styleUri: `${media.origin}/media/panel.css`,
        workerUri: `${media.origin}/media/worker.js`,
      });
      // VS Code injects acquireVsCodeApi before the page's scripts; the harness script carries the page's nonce.
      const marker = `<script nonce="${nonce}"`;
      if (!html.includes(marker)) throw new Error('panelHtml changed: the harness cannot find the script tag');
      return send(response, 200, 'text/html; charset=utf-8', html.replace(marker, `<script nonce="${nonce}" src="/harness/vscode-api.js"></script>\n${marker}`));
    }
    if (url.pathname === '/harness/vscode-api.js') return send(response, 200, 'text/javascript', readFileSync(join(__dirname, 'vscode-api.js')));
    send(response, 404, 'text/plain', 'not found');
  });
  pageOrigin = page.origin;

  return {
    pageUrl: (theme = 'light') => `${page.origin}/panel.html?theme=${encodeURIComponent(theme)}`,
    pageOrigin: page.origin,
    mediaOrigin: media.origin,
    close: () =>
      Promise.all(
        [page.server, media.server].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}
