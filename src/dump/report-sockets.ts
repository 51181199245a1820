// The report's socket section: counts by state, the socket table (connections by service port, remote host and
// state) and, for --format json, counts by local port, remote host and process and every socket as an item.
//
// A busy server shows a row per client host (60,000 rows for 100,000 sockets): a row is counted in place and
// written out as JSON only when it is among the rows the table keeps, and the counts no text report or panel reads
// are counted when read.
import type { Socket, SocketState } from './model';
import type { Correlation } from './correlate';
import type { Direction, SocketView } from './sockets/view';
import type { DumpReport, ListeningJson, SocketJson, SocketRowJson, StateCounts } from './report';
import { lazyArray, lazyValue } from './lazy';

/** The socket table lists at most this many rows (the largest); items still hold every socket. */
const TABLE_ROWS = 1000;

export function socketsSection(sockets: readonly Socket[], correlation: Correlation): DumpReport['sockets'] {
  const view = correlation.view;
  const byState: Partial<Record<SocketState, number>> = {};
  const rows = new RowIndex(sockets);
  for (let k = 0; k < sockets.length; k++) {
    const s = sockets[k];
    const direction = view.direction(s);
    byState[s.state] = (byState[s.state] ?? 0) + 1;
    rows.add(k, direction, view.servicePort(s));
  }
  const table = rows.largest(TABLE_ROWS);
  const listening: ListeningJson[] = view.listening.map((l) => ({ ...l }));
  const section: DumpReport['sockets'] = { total: sockets.length, byState, listening, byLocalPort: {}, byRemoteHost: {}, byProcess: {}, table, items: [] };
  // A key per host is a property per host (60,000 for a busy server): counted and written out when read.
  lazyValue(section, 'byLocalPort', () =>
    countBy(sockets, (s) => {
      const direction = view.direction(s);
      return direction === 'listen' || direction === 'inbound' ? (s.local.port ?? s.local.service ?? '*') : undefined;
    }),
  );
  lazyValue(section, 'byRemoteHost', () => countBy(sockets, (s) => (view.direction(s) !== 'listen' ? s.remote.host : undefined)));
  lazyValue(section, 'byProcess', () => {
    // `pid/program`: one string per process, looked up by its parts.
    const processKeys = new Map<number | null, Map<string | null, string>>();
    return countBy(sockets, (s) => {
      const byProgram = inner(processKeys, s.pid);
      let key = byProgram.get(s.program);
      if (key === undefined) byProgram.set(s.program, (key = s.pid !== null ? `${s.pid}/${s.program ?? ''}` : (s.program ?? 'unknown')));
      return key;
    });
  });
  lazyArray(section, 'items', () => socketItems(sockets, view));
  return section;
}

/** Counts by state under the key each socket gives (none: not counted), as an object with a property per key. */
function countBy<K extends string | number>(sockets: readonly Socket[], keyOf: (s: Socket) => K | undefined): Record<string, StateCounts> {
  // Counted in a Map and written out once per key: a string key per socket, and a property looked up by it, cost more.
  const counts = new Map<K, StateCounts>();
  for (const s of sockets) {
    const key = keyOf(s);
    if (key === undefined) continue;
    let entry = counts.get(key);
    if (entry === undefined) counts.set(key, (entry = { total: 0, byState: {} }));
    entry.total++;
    entry.byState[s.state] = (entry.byState[s.state] ?? 0) + 1;
  }
  const out: Record<string, StateCounts> = {};
  for (const [key, value] of counts) out[String(key)] = value;
  return out;
}

/** A row of the table while it is counted: its sockets are chained by their place in the list (RowIndex.next). */
interface RowCount {
  direction: Direction;
  port: number | null;
  remoteHost: string;
  state: SocketState;
  count: number;
  first: number;
  last: number;
}

/**
 * Rows of the socket table by direction, state, port and remote host, in nested Maps keyed by values the sockets
 * already hold (a key string made per socket would cost more than the rest of the table).
 */
class RowIndex {
  private readonly rows = new Map<Direction, Map<SocketState, Map<number | null, Map<string, RowCount>>>>();
  private readonly list: RowCount[] = [];
  /** By a socket's place: the next socket of its row, -1 for the last. */
  private readonly next: Int32Array;

  constructor(private readonly sockets: readonly Socket[]) {
    this.next = new Int32Array(sockets.length).fill(-1);
  }

  add(k: number, direction: Direction, port: number | null): void {
    const s = this.sockets[k];
    const remoteHost = direction === 'listen' ? '*' : s.remote.host;
    const byHost = inner(inner(inner(this.rows, direction), s.state), port);
    const row = byHost.get(remoteHost);
    if (row === undefined) {
      const created: RowCount = { direction, port, remoteHost, state: s.state, count: 1, first: k, last: k };
      byHost.set(remoteHost, created);
      this.list.push(created);
      return;
    }
    row.count++;
    this.next[row.last] = k;
    row.last = k;
  }

  /** The `limit` rows with the most sockets (the lower port first among equals, else in the order first seen). */
  largest(limit: number): SocketRowJson[] {
    const sorted = this.list.sort((a, b) => b.count - a.count || (a.port ?? 0) - (b.port ?? 0));
    return sorted.slice(0, limit).map((row) => this.json(row));
  }

  private json(row: RowCount): SocketRowJson {
    const { direction, port, remoteHost, state, count } = row;
    const pids = new Set<number>();
    const programs = new Set<string>();
    const ids: string[] = [];
    for (let k = row.first; k >= 0; k = this.next[k]) {
      const s = this.sockets[k];
      ids.push(s.id);
      if (s.pid !== null) pids.add(s.pid);
      if (s.program !== null) programs.add(s.program);
    }
    return { key: `${direction}|${port ?? '*'}|${remoteHost}|${state}`, direction, port, remoteHost, state, count, pids: [...pids], programs: [...programs], sockets: ids };
  }
}

function inner<K, K2, V2>(map: Map<K, Map<K2, V2>>, key: K): Map<K2, V2> {
  let found = map.get(key);
  if (found === undefined) map.set(key, (found = new Map()));
  return found;
}

function* socketItems(sockets: readonly Socket[], view: SocketView): Generator<SocketJson> {
  for (const s of sockets) {
    yield {
      id: s.id,
      input: s.input,
      line: s.line,
      format: s.format,
      state: s.state,
      direction: view.direction(s),
      local: s.local,
      remote: s.remote,
      recvQ: s.recvQ,
      sendQ: s.sendQ,
      pid: s.pid,
      program: s.program,
      fd: s.fd,
      timer: s.timer,
    };
  }
}
