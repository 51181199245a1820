// A Node.js report joined with the socket listing: each libuv TCP handle is matched to the listing's row with the
// same endpoints, so the rows get their owner (a listing without -p names none) and the verdicts learn what Node
// itself does with each connection (still reading, or stopped).
import type { NodeReport, Socket, TcpHandle } from '../model';
import { isWildcardHost } from '../sockets/endpoint';

export interface NodeProcess {
  report: NodeReport;
  /** Rows of the listing that are handles of this process. */
  sockets: Socket[];
  handleOf: Map<Socket, TcpHandle>;
  /** Ports its server handles listen on. */
  listening: number[];
}

export function joinNodeReports(reports: readonly NodeReport[], sockets: readonly Socket[]): NodeProcess[] {
  if (reports.length === 0) return [];
  const byEndpoints = new Map<string, Socket[]>();
  const listeners = new Map<number, Socket[]>();
  for (const s of sockets) {
    if (s.state === 'LISTEN') {
      if (s.local.port !== null) push(listeners, s.local.port, s);
    } else push(byEndpoints, endpointsKey(s.local, s.remote), s);
  }
  return reports.map((report) => {
    const joined: NodeProcess = { report, sockets: [], handleOf: new Map(), listening: [] };
    for (const handle of report.handles) {
      if (handle.remote === null) {
        if (handle.local.port !== null) joined.listening.push(handle.local.port);
        const listener = (listeners.get(handle.local.port ?? -1) ?? []).find((s) => sameHost(s.local.host, handle.local.host) && ownedBy(s, report));
        if (listener !== undefined) claim(joined, listener, handle);
        continue;
      }
      const row = (byEndpoints.get(endpointsKey(handle.local, handle.remote)) ?? []).find((s) => ownedBy(s, report));
      if (row !== undefined) claim(joined, row, handle);
    }
    return joined;
  });
}

function claim(joined: NodeProcess, socket: Socket, handle: TcpHandle): void {
  // The report names the owner that a listing without -p leaves out.
  if (socket.pid === null && joined.report.pid !== null) {
    socket.pid = joined.report.pid;
    socket.program ??= 'node';
  }
  joined.sockets.push(socket);
  joined.handleOf.set(socket, handle);
}

function ownedBy(socket: Socket, report: NodeReport): boolean {
  return socket.pid === null || report.pid === null || socket.pid === report.pid;
}

function endpointsKey(local: { host: string; port: number | null }, remote: { host: string; port: number | null }): string {
  return `${local.host}|${local.port}|${remote.host}|${remote.port}`;
}

function sameHost(a: string, b: string): boolean {
  return a === b || isWildcardHost(a) || isWildcardHost(b);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
