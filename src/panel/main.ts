// Entry point of the Analyze Dump webview (bundled to media/panel.js): starts the panel and routes the host's
// messages to it after checking them.
import { PanelApp } from './app';
import { isHostToPanel, routeMessage } from './protocol';
import { acquireHostApi } from './vscode-api';

const host = acquireHostApi();
const root = document.getElementById('app');
const workerUrl = document.body.dataset.workerUri;
if (root === null || workerUrl === undefined) throw new Error('the panel page lacks #app or data-worker-uri');

const app = new PanelApp(root, host, workerUrl);
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  void routeMessage(event.data, isHostToPanel, {
    setInput: (m) => app.receive(m),
    setInputBytes: (m) => app.receive(m),
    notice: (m) => app.receive(m),
  });
});
host.post({ type: 'ready' });
