// Joins what the parsers found: threads with the same stack and state become one group, threads named alike become
// a pool, a pool named for a port is tied to the connections on that port, and threads blocked in socket or
// connection-pool code are tied to the connections they plausibly hold.
import type { Frame, JavaThread, Socket, ThreadDump, ThreadState } from './model';
import { classifyThread, isIdle, mayWaitOnOwnServer, type ActivityKind, type ThreadActivity } from './activity';
import { poolNameOf, serverPortOfPool } from './pools';
import { SocketView, type ProcessSockets } from './sockets/view';
import { PerThread } from './per-thread';

export interface ThreadGroup {
  id: string;
  dump: number;
  state: ThreadState;
  activity: ActivityKind;
  threads: JavaThread[];
  /** Full stack of the first thread; every thread of the group shares its top frames. */
  frames: readonly Frame[];
}

export interface Pool {
  name: string;
  dump: number;
  /** The server port a connector pool serves (from its name, or the process's only server port). */
  port: number | null;
  threads: JavaThread[];
  idle: number;
  busy: number;
  /** Busy threads that wait (for a socket, a lock, a future, a pooled connection) rather than run code. */
  waiting: number;
  byState: Partial<Record<ThreadState, number>>;
}

export interface DumpAnalysis {
  dump: ThreadDump;
  activity: PerThread<ThreadActivity>;
  groups: ThreadGroup[];
  /** The group of each thread, by its place in the dump: what a report looking up a few threads reads. */
  groupOf: PerThread<ThreadGroup>;
  pools: Pool[];
  /** The process of this dump in the socket listing, when one can be told. */
  pid: number | null;
  serverPorts: ReadonlySet<number>;
  /** Threads of this dump tied to sockets. */
  links: Link[];
}

export type LinkReason = 'serves-port' | 'self-call' | 'reads-from-peer' | 'waits-for-connection';

export interface Link {
  reason: LinkReason;
  dump: number;
  threads: JavaThread[];
  /** Shared by the links of every dump of the process that tie threads to the same connections. */
  sockets: readonly Socket[];
  port: number | null;
}

export interface Correlation {
  view: SocketView;
  dumps: DumpAnalysis[];
}

export function correlate(dumps: readonly ThreadDump[], sockets: readonly Socket[], groupDepth: number): Correlation {
  const view = new SocketView(sockets);
  const analyses = dumps.map((dump) => analyzeThreads(dump, view, groupDepth));
  return { view, dumps: analyses };
}

function analyzeThreads(dump: ThreadDump, view: SocketView, groupDepth: number): DumpAnalysis {
  const threads = dump.threads;
  const kinds = new Array<ThreadActivity>(threads.length);
  for (let k = 0; k < threads.length; k++) kinds[k] = classifyThread(threads[k]);
  const activity = new PerThread(threads, kinds);
  const pid = view.processPid(dump.pid);
  const serverPorts = view.serverPortsOf(pid);
  const groupOf = new Array<ThreadGroup>(threads.length);
  const groups = groupThreads(dump, activity, groupDepth, groupOf);
  const analysis: DumpAnalysis = { dump, activity, groups, groupOf: new PerThread(threads, groupOf), pools: findPools(dump, activity, serverPorts), pid, serverPorts, links: [] };
  analysis.links = linkThreads(analysis, view);
  return analysis;
}

function groupThreads(dump: ThreadDump, activity: PerThread<ThreadActivity>, depth: number, groupOf: ThreadGroup[]): ThreadGroup[] {
  // Groups by the top frames, then by state. Threads with the same stack share its array (FrameTable.stack), whose
  // key is made once for every dump (a log of 3,000 dumps repeats its stacks), one string object whose hash V8 keeps.
  const byTop = new Map<string, Map<ThreadState, ThreadGroup>>();
  const byStack = new Map<readonly Frame[], Map<ThreadState, ThreadGroup>>();
  const groups: ThreadGroup[] = [];
  const threads = dump.threads;
  for (let k = 0; k < threads.length; k++) {
    const thread = threads[k];
    const frames = thread.frames;
    let states = byStack.get(frames);
    if (states === undefined) {
      const key = topFramesKey(frames, depth);
      states = byTop.get(key);
      if (states === undefined) byTop.set(key, (states = new Map()));
      byStack.set(frames, states);
    }
    let group = states.get(thread.state);
    if (group === undefined) {
      const kind = activity.get(thread)?.kind ?? 'running';
      group = { id: '', dump: dump.index, state: thread.state, activity: kind, threads: [], frames };
      states.set(thread.state, group);
      groups.push(group);
    }
    group.threads.push(thread);
    groupOf[k] = group;
  }
  // Kept at their size: a log of thousands of dumps has a group for every few threads, and an array pushed to once
  // holds room for 17.
  for (const group of groups) group.threads = group.threads.slice();
  groups.sort((a, b) => b.threads.length - a.threads.length || b.frames.length - a.frames.length);
  groups.forEach((group, k) => (group.id = `g${dump.index}-${k}`));
  return groups;
}

const topKeys = new WeakMap<readonly Frame[], { depth: number; key: string }>();

/** The texts of a stack's top `depth` frames as one string, the same object each time it is asked for. */
function topFramesKey(frames: readonly Frame[], depth: number): string {
  const known = topKeys.get(frames);
  if (known !== undefined && known.depth === depth) return known.key;
  let key = '';
  for (let i = 0; i < frames.length && i < depth; i++) key += '\n' + frames[i].text;
  topKeys.set(frames, { depth, key });
  return key;
}

function findPools(dump: ThreadDump, activity: PerThread<ThreadActivity>, serverPorts: ReadonlySet<number>): Pool[] {
  const byName = new Map<string, JavaThread[]>();
  for (const thread of dump.threads) {
    const name = poolNameOf(thread.name);
    if (name === null) continue;
    let members = byName.get(name);
    if (members === undefined) byName.set(name, (members = []));
    members.push(thread);
  }
  const onlyServerPort = serverPorts.size === 1 ? [...serverPorts][0] : null;
  const pools: Pool[] = [];
  for (const [name, threads] of byName) {
    const servesRequests = threads.some((t) => activity.get(t)?.handlingRequest);
    const port = serverPortOfPool(name) ?? (servesRequests ? onlyServerPort : null);
    if (threads.length < 2 && port === null) continue;
    const pool: Pool = { name, dump: dump.index, port, threads: threads.slice(), idle: 0, busy: 0, waiting: 0, byState: {} };
    for (const thread of threads) {
      pool.byState[thread.state] = (pool.byState[thread.state] ?? 0) + 1;
      const act = activity.get(thread);
      if (act !== undefined && isIdle(act)) pool.idle++;
      else {
        pool.busy++;
        if (act !== undefined && act.kind !== 'running' && act.kind !== 'no-stack') pool.waiting++;
      }
    }
    pools.push(pool);
  }
  return pools.sort((a, b) => b.threads.length - a.threads.length || a.name.localeCompare(b.name));
}

function linkThreads(analysis: DumpAnalysis, view: SocketView): Link[] {
  const { dump, pid } = analysis;
  const links: Link[] = [];
  const add = (reason: LinkReason, threads: JavaThread[], sockets: readonly Socket[], port: number | null): void => {
    if (threads.length > 0 && sockets.length > 0) links.push({ reason, dump: dump.index, threads, sockets, port });
  };
  const mine = view.of(pid);
  for (const pool of analysis.pools) {
    if (pool.port === null) continue;
    const port = pool.port;
    const busy = pool.threads.filter((t) => !isIdleThread(analysis, t));
    add('serves-port', busy, mine.inbound(port), port);
    const waiting = busy.filter((t) => mayWaitOnOwnServerThread(analysis, t));
    add('self-call', waiting, selfConnections(view, mine, port), port);
  }
  const readers: JavaThread[] = [];
  const leasing: JavaThread[] = [];
  for (const thread of dump.threads) {
    const act = analysis.activity.get(thread);
    if (act === undefined) continue;
    if ((act.kind === 'socket-read' || act.kind === 'socket-write' || act.kind === 'socket-connect') && !act.serverSide) readers.push(thread);
    if (act.kind === 'lease-wait') leasing.push(thread);
  }
  const open = view.memo(`open-outbound:${pid}`, () => mine.outbound.filter((s) => s.state === 'ESTABLISHED' || s.state === 'SYN_SENT'));
  add('reads-from-peer', readers, open, null);
  add('waits-for-connection', leasing, view.memo(`established-outbound:${pid}`, () => open.filter((s) => s.state === 'ESTABLISHED')), null);
  return links;
}

/** One call of a process to its own port, as the listing shows it: the caller's end and, when listed, the server's. */
export interface SelfCall {
  /** From an ephemeral port of the process to its own server port. */
  outbound: Socket;
  /** The accepted end on the server port: owned by the same process, or by nobody yet (still in the accept queue). */
  inbound: Socket | null;
}

/**
 * Connections of a process to its own port: outbound ones from the process that owns the port to one of the
 * machine's addresses, each paired with the inbound end it arrives on. Owners must be known: a local nginx or
 * health checker connecting to the port is not the process calling itself. Computed once per process and port.
 */
export function selfCalls(view: SocketView, mine: ProcessSockets, port: number): readonly SelfCall[] {
  return view.memo(`self-calls:${mine.pid}:${port}`, () => {
    const owners = new Set(view.listening.filter((l) => l.port === port && l.pid !== null).map((l) => l.pid));
    const outbound = mine.outboundToPort(port).filter((s) => view.isOwnHost(s.remote.host) && s.pid !== null && owners.has(s.pid));
    const inboundByPeer = new Map<string, Socket>();
    for (const s of mine.inbound(port)) if (view.isOwnHost(s.remote.host)) inboundByPeer.set(`${s.remote.host}|${s.remote.port}`, s);
    return outbound.map((s) => {
      const inbound = inboundByPeer.get(`${s.local.host}|${s.local.port}`) ?? null;
      return { outbound: s, inbound: inbound !== null && (inbound.pid === null || inbound.pid === s.pid) ? inbound : null };
    });
  });
}

/** Both ends of every self-call, callers first. */
export function selfConnections(view: SocketView, mine: ProcessSockets, port: number): readonly Socket[] {
  return view.memo(`self-connections:${mine.pid}:${port}`, () => {
    const calls = selfCalls(view, mine, port);
    return [...calls.map((c) => c.outbound), ...calls.flatMap((c) => (c.inbound !== null ? [c.inbound] : []))];
  });
}

function isIdleThread(analysis: DumpAnalysis, thread: JavaThread): boolean {
  const act = analysis.activity.get(thread);
  return act !== undefined && isIdle(act);
}

function mayWaitOnOwnServerThread(analysis: DumpAnalysis, thread: JavaThread): boolean {
  const act = analysis.activity.get(thread);
  return act !== undefined && mayWaitOnOwnServer(act);
}
