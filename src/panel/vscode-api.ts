// The webview's handle on VS Code: post to the host, and the state VS Code keeps across hiding and reloads.
import type { PanelToHost } from './protocol';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  /** Injected by VS Code into every webview (and by the test harness); may be called once only. */
  function acquireVsCodeApi(): RawVsCodeApi;
}

export interface HostApi {
  post(message: PanelToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export function acquireHostApi(): HostApi {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
}
