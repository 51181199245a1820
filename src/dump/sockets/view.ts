// The sockets of one listing seen from the process that owns them: which ports it serves (listed as LISTEN or
// inferred from many peers on one local port), which connections are inbound or outbound, and which addresses are
// the machine's own, so a connection to "itself" can be told from one to another host.
//
// A paste can hold thousands of dumps of one process beside one listing of 100,000 sockets: the sockets are indexed
// once per process (by local port, remote port, direction) and every fact derived from them is computed once
// (`memo`), so that no step costs dumps x sockets.
import type { Socket } from '../model';
import { isLoopbackHost, isWildcardHost } from './endpoint';

/** Below Linux's default ip_local_port_range: a port a client would not pick for itself. */
const EPHEMERAL_START = 32768;

export type Direction = 'listen' | 'inbound' | 'outbound' | 'unknown';

export interface ServerPort {
  port: number;
  host: string;
  pid: number | null;
  program: string | null;
  /** Id of the LISTEN socket, or null when the port was inferred from its connections. */
  socket: string | null;
  inferred: boolean;
}

/** The connections of one process (its own, plus those the listing shows without an owner), indexed. */
export class ProcessSockets {
  /** Every socket but listeners. */
  readonly connections: Socket[] = [];
  readonly outbound: Socket[] = [];
  private readonly inboundOn = new Map<number, Socket[]>();
  private readonly outboundTo = new Map<number, Socket[]>();

  constructor(
    readonly pid: number | null,
    view: SocketView,
  ) {
    for (const s of view.sockets) {
      if (s.state === 'LISTEN' || !view.belongsTo(s, pid)) continue;
      this.connections.push(s);
      const direction = view.direction(s);
      if (direction === 'inbound' && s.local.port !== null) push(this.inboundOn, s.local.port, s);
      if (direction === 'outbound') {
        this.outbound.push(s);
        if (s.remote.port !== null) push(this.outboundTo, s.remote.port, s);
      }
    }
  }

  /** Inbound connections on a local port. */
  inbound(port: number): readonly Socket[] {
    return this.inboundOn.get(port) ?? NONE;
  }

  /** Outbound connections to a remote port. */
  outboundToPort(port: number): readonly Socket[] {
    return this.outboundTo.get(port) ?? NONE;
  }
}

const NONE: readonly Socket[] = Object.freeze([]);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export class SocketView {
  readonly listening: ServerPort[];
  /** By Socket.index (a Map keyed by 100,000 sockets is slow to consult). */
  private readonly directions: Direction[];
  private readonly ownHosts: Set<string>;
  private readonly allServerPorts: Set<number>;
  private readonly processes = new Map<number | null, ProcessSockets>();
  private readonly facts = new Map<string, unknown>();
  private busiestJava: number | null | undefined;

  constructor(readonly sockets: readonly Socket[]) {
    this.ownHosts = new Set();
    for (const s of sockets) if (!isWildcardHost(s.local.host)) this.ownHosts.add(s.local.host);
    this.listening = findServerPorts(sockets);
    this.allServerPorts = new Set(this.listening.map((l) => l.port));
    this.directions = sockets.map((s) => this.directionOf(s));
  }

  direction(socket: Socket): Direction {
    return this.sockets[socket.index] === socket ? this.directions[socket.index] : 'unknown';
  }

  /** The connections of a process, indexed once and shared by every dump of it. */
  of(pid: number | null): ProcessSockets {
    let sockets = this.processes.get(pid);
    if (sockets === undefined) this.processes.set(pid, (sockets = new ProcessSockets(pid, this)));
    return sockets;
  }

  /**
   * A fact of the listing alone, computed the first time a dump asks and reused by the others. The key must name
   * everything the fact depends on (`self-calls:4242:8080`).
   */
  memo<T>(key: string, make: () => T): T {
    if (this.facts.has(key)) return this.facts.get(key) as T;
    const value = make();
    this.facts.set(key, value);
    return value;
  }

  /** The port that names the service: the local port of an inbound connection, the remote port of an outbound one. */
  servicePort(socket: Socket): number | null {
    return this.direction(socket) === 'outbound' ? socket.remote.port : socket.local.port;
  }

  /** An address of this machine: loopback, or any local address the listing shows. */
  isOwnHost(host: string): boolean {
    return isLoopbackHost(host) || this.ownHosts.has(host);
  }

  /**
   * The process a thread dump belongs to: the pid the paste names (`jstack 27836`), else the busiest Java process
   * of the listing. A named pid is kept even when the listing shows other processes only: their sockets are not its.
   */
  processPid(dumpPid: number | null): number | null {
    if (dumpPid !== null) return dumpPid;
    if (this.busiestJava === undefined) this.busiestJava = this.busiestJavaProcess();
    return this.busiestJava;
  }

  private busiestJavaProcess(): number | null {
    const counts = new Map<number, number>();
    const javaPids = new Set<number>();
    for (const s of this.sockets) {
      if (s.pid === null) continue;
      counts.set(s.pid, (counts.get(s.pid) ?? 0) + 1);
      if (s.program !== null && /java/i.test(s.program)) javaPids.add(s.pid);
    }
    const candidates = javaPids.size > 0 ? [...javaPids] : counts.size === 1 ? [...counts.keys()] : [];
    return candidates.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0] ?? null;
  }

  /** Sockets that may belong to the process: its own, plus those the listing shows without an owner. */
  belongsTo(socket: Socket, pid: number | null): boolean {
    return pid === null || socket.pid === null || socket.pid === pid;
  }

  serverPortsOf(pid: number | null): ReadonlySet<number> {
    return this.memo(`server-ports:${pid}`, () => new Set(this.listening.filter((l) => pid === null || l.pid === null || l.pid === pid).map((l) => l.port)));
  }

  private directionOf(socket: Socket): Direction {
    if (socket.state === 'LISTEN') return 'listen';
    const { local, remote } = socket;
    if (local.port !== null && this.allServerPorts.has(local.port) && !(remote.port !== null && this.allServerPorts.has(remote.port) && local.port > remote.port)) {
      return 'inbound';
    }
    if (remote.port !== null && this.allServerPorts.has(remote.port)) return 'outbound';
    if (local.port === null || remote.port === null || local.port === remote.port) return 'unknown';
    // Servers listen on the lower, well-known port; clients connect from a higher, ephemeral one.
    return local.port < remote.port ? 'inbound' : 'outbound';
  }
}

/**
 * LISTEN rows, plus local ports that talk to several different remote ports: without -a a listing shows no LISTEN
 * rows, but a port with many peers is a server port. Linux lets outbound connections share a local port, but only
 * towards different destinations, which rarely means three different remote ports.
 */
function findServerPorts(sockets: readonly Socket[]): ServerPort[] {
  const ports: ServerPort[] = [];
  const seen = new Set<string>();
  for (const s of sockets) {
    if (s.state !== 'LISTEN' || s.local.port === null) continue;
    const key = `${s.local.port}|${s.pid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ports.push({ port: s.local.port, host: s.local.host, pid: s.pid, program: s.program, socket: s.id, inferred: false });
  }
  // Most local ports (the ephemeral ones of outbound connections) talk to one remote port: a Set of remote ports
  // only for a port that talks to a second one.
  const peers = new Map<number, { remotePort: number; remotePorts: Set<number> | null; count: number; first: Socket; owner: Socket | null }>();
  for (const s of sockets) {
    if (s.state === 'LISTEN' || s.local.port === null || s.remote.port === null) continue;
    let entry = peers.get(s.local.port);
    if (entry === undefined) peers.set(s.local.port, (entry = { remotePort: s.remote.port, remotePorts: null, count: 0, first: s, owner: null }));
    else if (entry.remotePorts !== null) entry.remotePorts.add(s.remote.port);
    else if (s.remote.port !== entry.remotePort) entry.remotePorts = new Set([entry.remotePort, s.remote.port]);
    entry.count++;
    // Connections still in the accept queue have no owner yet; take one that has.
    if (entry.owner === null && s.pid !== null) entry.owner = s;
  }
  const listed = new Set(ports.map((p) => p.port));
  for (const [port, entry] of peers) {
    const remotePorts = entry.remotePorts?.size ?? 1;
    const manyPeers = remotePorts >= 3 || (remotePorts === 2 && port < EPHEMERAL_START);
    if (listed.has(port) || !manyPeers || remotePorts * 2 < entry.count) continue;
    const owner = entry.owner ?? entry.first;
    ports.push({ port, host: entry.first.local.host, pid: owner.pid, program: owner.program, socket: null, inferred: true });
  }
  return ports;
}
