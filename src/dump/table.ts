// The socket table folded for reading in a terminal or a ticket: one row per port, direction and state, with how
// many remote hosts stand behind it (the report's table keeps one row per remote host for the panel's filters).
import type { SocketRowJson } from './report';
import { count } from './words';

export interface SocketSummaryRow {
  direction: SocketRowJson['direction'];
  port: number | null;
  state: SocketRowJson['state'];
  count: number;
  remoteHosts: string[];
}

export function summarizeSocketTable(rows: readonly SocketRowJson[]): SocketSummaryRow[] {
  const byKey = new Map<string, SocketSummaryRow>();
  for (const row of rows) {
    const key = `${row.direction}|${row.port}|${row.state}`;
    let summary = byKey.get(key);
    if (summary === undefined) byKey.set(key, (summary = { direction: row.direction, port: row.port, state: row.state, count: 0, remoteHosts: [] }));
    summary.count += row.count;
    if (row.remoteHost !== '*' && !summary.remoteHosts.includes(row.remoteHost)) summary.remoteHosts.push(row.remoteHost);
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || (a.port ?? 0) - (b.port ?? 0));
}

/** `10.0.3.10`, or `23 hosts: 10.20.0.15, 10.20.1.16, ...` */
export function remoteHostsText(hosts: readonly string[], shown = 3): string {
  if (hosts.length <= 1) return hosts[0] ?? '';
  const more = hosts.length > shown ? ', ...' : '';
  return `${count(hosts.length)} hosts: ${hosts.slice(0, shown).join(', ')}${more}`;
}
