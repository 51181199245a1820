// The report: plain JSON for the CLI (`--format json`), the panel and the Markdown export. The first four keys are
// the public contract (threads, sockets, verdicts, unparsed); the rest is what the panel needs to draw and link.
import type { InputFormat, ParsedInput, Socket, SocketState, ThreadDump, ThreadDumpFormat, ThreadState, UnparsedLine } from './model';
import type { ActivityKind } from './activity';
import type { Correlation, LinkReason } from './correlate';
import type { Direction, ServerPort, SocketView } from './sockets/view';
import type { Evidence, Finding, VerdictKind } from './verdicts/types';
import { describeInput } from './detect';
import { whyOf } from './verdicts';
import { insightsJson, type InsightsJson } from './insights/json';
import { stackJson } from './frame-json';
import type { Timeline } from './insights/timeline';

export type { HotMethodJson, InsightsJson, LockJson, OverTimeJson } from './insights/json';

export interface FrameJson {
  class: string;
  method: string;
  file: string | null;
  line: number | null;
  /** As printed after `at `. */
  text: string;
  /** The user's own code (see isApplicationFrame): highlighted and linked to the editor. */
  app: boolean;
}

export interface VerdictFrameJson {
  class: string;
  method: string;
  file: string | null;
  line: number | null;
}

export interface ThreadJson {
  id: string;
  /** Same value for the same thread in several dumps of one paste. */
  key: string;
  dump: number;
  input: number;
  line: number;
  name: string;
  state: ThreadState;
  stateDetail: string | null;
  daemon: boolean;
  number: number | null;
  priority: number | null;
  tid: string | null;
  nid: string | null;
  /** CPU time the thread used, when the dump prints it (JDK 11+ `cpu=`, SAP). */
  cpuMs: number | null;
  pool: string | null;
  group: string;
  activity: ActivityKind;
  /** JDK 21+ carrier: the virtual thread it runs (`#206`); its frames come first in the group's stack. */
  carrying: string | null;
  truncated: boolean;
}

export interface ThreadGroupJson {
  id: string;
  dump: number;
  state: ThreadState;
  activity: ActivityKind;
  count: number;
  threads: string[];
  names: string[];
  /** Full stack of the first thread; all threads of the group share its top frames. */
  frames: FrameJson[];
  /** Topmost application frame, the place to look first. */
  appFrame: FrameJson | null;
}

export interface PoolJson {
  name: string;
  dump: number;
  port: number | null;
  size: number;
  idle: number;
  busy: number;
  waiting: number;
  byState: Partial<Record<ThreadState, number>>;
  threads: string[];
}

export interface StateCounts {
  total: number;
  byState: Partial<Record<SocketState, number>>;
}

/** A socket as the report shows it: the parsed socket with its id and direction, without parse bookkeeping. */
export type SocketJson = Pick<Socket, 'input' | 'line' | 'format' | 'state' | 'local' | 'remote' | 'recvQ' | 'sendQ' | 'pid' | 'program' | 'fd' | 'timer'> & {
  id: string;
  direction: Direction;
};

/** A port the process listens on (a LISTEN row, or inferred from the many connections on it). */
export type ListeningJson = ServerPort;

/** One row of the socket table: connections of one service port, remote host and state. */
export interface SocketRowJson {
  key: string;
  direction: Direction;
  /** Local port for inbound connections and listeners, remote port for outbound ones. */
  port: number | null;
  remoteHost: string;
  state: SocketState;
  count: number;
  pids: number[];
  programs: string[];
  sockets: string[];
}

/** Threads tied to sockets. One link covers every dump whose threads are tied to the same connections for the same reason. */
export interface LinkJson {
  id: string;
  reason: LinkReason;
  /** The dumps whose threads are linked. */
  dumps: number[];
  port: number | null;
  threads: string[];
  sockets: string[];
}

export interface VerdictJson {
  id: string;
  kind: VerdictKind;
  title: string;
  confidence: number;
  summary: string;
  /** What this kind of cause is, in two sentences (the same for every verdict of the kind). */
  why: string;
  evidence: Evidence;
  threads: string[];
  sockets: string[];
  frames: VerdictFrameJson[];
}

export interface InputJson {
  index: number;
  name: string;
  label: string;
  formats: InputFormat[];
  lines: number;
  dumps: number;
  threads: number;
  sockets: number;
  jdk: number | null;
  unparsed: number;
  warnings: string[];
}

export interface DumpJson {
  index: number;
  input: number;
  format: ThreadDumpFormat;
  tool: string | null;
  line: number;
  timestamp: string | null;
  jvm: string | null;
  jdk: number | null;
  pid: number | null;
  threads: number;
  reportedDeadlocks: number;
}

export interface DumpReport {
  threads: {
    total: number;
    byState: Partial<Record<ThreadState, number>>;
    groups: ThreadGroupJson[];
    pools: PoolJson[];
    items: ThreadJson[];
  };
  sockets: {
    total: number;
    byState: Partial<Record<SocketState, number>>;
    listening: ListeningJson[];
    /** Listeners and inbound connections by their local port; outbound connections are under byRemoteHost. */
    byLocalPort: Record<string, StateCounts>;
    byRemoteHost: Record<string, StateCounts>;
    /** `pid/program`, or `unknown` when the listing has no owner column. */
    byProcess: Record<string, StateCounts>;
    table: SocketRowJson[];
    items: SocketJson[];
  };
  verdicts: VerdictJson[];
  unparsed: {
    total: number;
    inputs: { input: number; name: string; count: number; sample: UnparsedLine[] }[];
  };
  inputs: InputJson[];
  dumps: DumpJson[];
  links: LinkJson[];
  /** Every monitor and synchronizer with its holder and waiters, contended ones first. */
  locks: InsightsJson['locks'];
  /** The most frequent top frames of running application threads. */
  topMethods: InsightsJson['topMethods'];
  /** Several dumps of one process: stuck threads, hot threads, pools filling up. Null for a single dump. */
  overTime: InsightsJson['overTime'];
}

export interface ReportParts {
  inputs: readonly ParsedInput[];
  dumps: readonly ThreadDump[];
  sockets: readonly Socket[];
  correlation: Correlation;
  findings: readonly Finding[];
  timeline: Timeline | null;
}

export function buildReport({ inputs, dumps, sockets, correlation, findings, timeline }: ReportParts): DumpReport {
  return {
    threads: threadsSection(dumps, correlation),
    sockets: socketsSection(sockets, correlation),
    verdicts: findings.map((f, k) => verdictJson(f, k)),
    unparsed: {
      total: inputs.reduce((n, i) => n + i.unparsed.count, 0),
      inputs: inputs.filter((i) => i.unparsed.count > 0).map((i) => ({ input: i.index, name: i.name, count: i.unparsed.count, sample: i.unparsed.sample })),
    },
    inputs: inputs.map(inputJson),
    dumps: dumps.map(dumpJson),
    links: linksJson(correlation),
    ...insightsJson(correlation, timeline),
  };
}

// Every thread and every socket as JSON (`items`) is what a report of a million threads is made of, and neither the
// text report nor the panel's view reads them all: they are built on first read, and --format json streams them
// without building them at all (see json.ts).
const unbuilt = new WeakMap<object, Map<string, () => Iterable<unknown>>>();

/** Defines `target[key]` as the array of `items()`, built the first time it is read and kept from then on. */
function lazyArray<T>(target: object, key: string, items: () => Iterable<T>): void {
  let sources = unbuilt.get(target);
  if (sources === undefined) unbuilt.set(target, (sources = new Map()));
  sources.set(key, items);
  const settle = (value: T[]): T[] => {
    sources.delete(key);
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => settle(Array.from(items())),
    set: (value: T[]) => settle(value),
  });
}

/** Defines `target[key]` as `make()`, made the first time it is read and kept from then on. */
function lazyValue<T>(target: object, key: string, make: () => T): void {
  const settle = (value: T): T => {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    return value;
  };
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => settle(make()), set: (value: T) => settle(value) });
}

/** The items of `target[key]` when that array has not been built yet: iterate them without building it. */
export function unbuiltItems(target: object, key: string): (() => Iterable<unknown>) | undefined {
  return unbuilt.get(target)?.get(key);
}

function threadsSection(dumps: readonly ThreadDump[], correlation: Correlation): DumpReport['threads'] {
  const byState: Partial<Record<ThreadState, number>> = {};
  const groups: ThreadGroupJson[] = [];
  const pools: PoolJson[] = [];
  for (const analysis of correlation.dumps) {
    for (const group of analysis.groups) {
      const frames = stackJson(group.frames);
      groups.push({
        id: group.id,
        dump: group.dump,
        state: group.state,
        activity: group.activity,
        count: group.threads.length,
        threads: ids(group.threads),
        names: group.threads.slice(0, 20).map((t) => t.name),
        frames,
        appFrame: frames.find((f) => f.app) ?? null,
      });
    }
    for (const pool of analysis.pools) {
      pools.push({ name: pool.name, dump: pool.dump, port: pool.port, size: pool.threads.length, idle: pool.idle, busy: pool.busy, waiting: pool.waiting, byState: pool.byState, threads: ids(pool.threads) });
    }
  }
  let total = 0;
  for (const dump of dumps) {
    total += dump.threads.length;
    for (const t of dump.threads) byState[t.state] = (byState[t.state] ?? 0) + 1;
  }
  const section = { total, byState, groups, pools, items: [] as ThreadJson[] };
  lazyArray(section, 'items', () => threadItems(dumps, correlation, null));
  pickers.set(section, (wanted) => threadItems(dumps, correlation, wanted));
  return section;
}

const pickers = new WeakMap<object, (wanted: ReadonlySet<string>) => Iterable<ThreadJson>>();

/**
 * The items of the threads with these ids, by id: what the text report names (a lock's holder and first waiters)
 * without building an item for each of a million threads when the items were not built yet.
 */
export function threadsById(report: DumpReport, ids: Iterable<string>): Map<string, ThreadJson> {
  const wanted = new Set(ids);
  const found = new Map<string, ThreadJson>();
  if (wanted.size === 0) return found;
  const pick = unbuiltItems(report.threads, 'items') !== undefined ? pickers.get(report.threads) : undefined;
  for (const t of pick !== undefined ? pick(wanted) : report.threads.items) if (wanted.has(t.id)) found.set(t.id, t);
  return found;
}

function* threadItems(dumps: readonly ThreadDump[], correlation: Correlation, wanted: ReadonlySet<string> | null): Generator<ThreadJson> {
  const analysisOf = new Map(correlation.dumps.map((a) => [a.dump, a]));
  for (const dump of dumps) {
    // Picking a few threads: a dump that holds none of them is passed over before its groups and pools are read.
    if (wanted !== null && !dump.threads.some((t) => wanted.has(t.id))) continue;
    const analysis = analysisOf.get(dump);
    // By the thread's place in the dump (see PerThread): groups and pools hold threads of this dump only.
    const groupOf = new Array<string>(dump.threads.length).fill('');
    const poolOf = new Array<string | null>(dump.threads.length).fill(null);
    for (const group of analysis?.groups ?? []) for (const t of group.threads) groupOf[t.index] = group.id;
    for (const pool of analysis?.pools ?? []) for (const t of pool.threads) poolOf[t.index] = pool.name;
    for (let k = 0; k < dump.threads.length; k++) {
      const t = dump.threads[k];
      if (wanted !== null && !wanted.has(t.id)) continue;
      yield {
        id: t.id,
        key: t.key,
        dump: t.dump,
        input: t.input,
        line: t.line,
        name: t.name,
        state: t.state,
        stateDetail: t.stateDetail,
        daemon: t.daemon,
        number: t.number,
        priority: t.priority,
        tid: t.tid,
        nid: t.nid,
        cpuMs: t.cpuMs,
        pool: poolOf[k],
        group: groupOf[k],
        activity: analysis?.activity.get(t)?.kind ?? 'running',
        carrying: t.carrying,
        truncated: t.truncated,
      };
    }
  }
}

/**
 * The links of all dumps, those of several dumps to the same connections merged: a listing beside 2,000 dumps of one
 * process lists its connections once, not once per dump.
 */
function linksJson(correlation: Correlation): LinkJson[] {
  const merged = new Map<readonly Socket[], Map<string, LinkJson>>();
  const links: LinkJson[] = [];
  for (const analysis of correlation.dumps) {
    for (const link of analysis.links) {
      let byReason = merged.get(link.sockets);
      if (byReason === undefined) merged.set(link.sockets, (byReason = new Map()));
      const key = `${link.reason}|${link.port}`;
      let json = byReason.get(key);
      if (json === undefined) {
        json = { id: `l${links.length}`, reason: link.reason, dumps: [], port: link.port, threads: [], sockets: ids(link.sockets) };
        byReason.set(key, json);
        links.push(json);
      }
      json.dumps.push(link.dump);
      for (const t of link.threads) json.threads.push(t.id);
    }
  }
  return links;
}

/** The socket table lists at most this many rows (the largest); items still hold every socket. */
const TABLE_ROWS = 1000;

function socketsSection(sockets: readonly Socket[], correlation: Correlation): DumpReport['sockets'] {
  const view = correlation.view;
  const byState: Partial<Record<SocketState, number>> = {};
  // Counted in Maps and written out once per key: 100,000 sockets to 60,000 hosts would otherwise make a string
  // key (and look a property up by it) per socket.
  const byLocalPort = new Map<string | number, StateCounts>();
  const byRemoteHost = new Map<string, StateCounts>();
  const byProcess = new Map<string, StateCounts>();
  const rows = new RowIndex();
  // `pid/program`: one string per process, looked up by its parts.
  const processKeys = new Map<number | null, Map<string | null, string>>();
  const processKey = (s: Socket): string => {
    const byProgram = inner(processKeys, s.pid);
    let key = byProgram.get(s.program);
    if (key === undefined) byProgram.set(s.program, (key = s.pid !== null ? `${s.pid}/${s.program ?? ''}` : (s.program ?? 'unknown')));
    return key;
  };
  for (const s of sockets) {
    const direction = view.direction(s);
    byState[s.state] = (byState[s.state] ?? 0) + 1;
    if (direction === 'listen' || direction === 'inbound') tally(byLocalPort, s.local.port ?? s.local.service ?? '*', s.state);
    if (direction !== 'listen') tally(byRemoteHost, s.remote.host, s.state);
    tally(byProcess, processKey(s), s.state);
    rows.add(s, direction, view.servicePort(s));
  }
  const table = rows.all().sort((a, b) => b.count - a.count || (a.port ?? 0) - (b.port ?? 0)).slice(0, TABLE_ROWS);
  const listening: ListeningJson[] = view.listening.map((l) => ({ ...l }));
  const section: DumpReport['sockets'] = { total: sockets.length, byState, listening, byLocalPort: {}, byRemoteHost: {}, byProcess: {}, table, items: [] };
  // Written out as objects when read: a key per host is a property per host (60,000 for a busy server), which the
  // text report never reads.
  lazyValue(section, 'byLocalPort', () => record(byLocalPort));
  lazyValue(section, 'byRemoteHost', () => record(byRemoteHost));
  lazyValue(section, 'byProcess', () => record(byProcess));
  lazyArray(section, 'items', () => socketItems(sockets, view));
  return section;
}

/**
 * Rows of the socket table by direction, state, port and remote host, in nested Maps keyed by values the sockets
 * already hold (a key string made per socket would cost more than the rest of the table).
 */
class RowIndex {
  private readonly rows = new Map<Direction, Map<SocketState, Map<number | null, Map<string, number>>>>();
  private readonly list: SocketRowJson[] = [];
  /** The pids and programs of each row (by its place in `list`), as Sets once a row has more than a few. */
  private readonly pidSets: (Set<number> | undefined)[] = [];
  private readonly programSets: (Set<string> | undefined)[] = [];

  add(s: Socket, direction: Direction, port: number | null): void {
    const remoteHost = direction === 'listen' ? '*' : s.remote.host;
    const byHost = inner(inner(inner(this.rows, direction), s.state), port);
    let k = byHost.get(remoteHost);
    if (k === undefined) {
      k = this.list.length;
      this.list.push({ key: `${direction}|${port ?? '*'}|${remoteHost}|${s.state}`, direction, port, remoteHost, state: s.state, count: 0, pids: [], programs: [], sockets: [] });
      byHost.set(remoteHost, k);
    }
    const row = this.list[k];
    row.count++;
    row.sockets.push(s.id);
    if (s.pid !== null) addOnce(row.pids, this.pidSets, k, s.pid);
    if (s.program !== null) addOnce(row.programs, this.programSets, k, s.program);
  }

  all(): SocketRowJson[] {
    return this.list;
  }
}

/** Adds `value` to `list` unless there: most rows have one owner, so a look along the list, and a Set for many. */
function addOnce<T>(list: T[], sets: (Set<T> | undefined)[], k: number, value: T): void {
  const set = sets[k];
  if (set === undefined) {
    if (list.includes(value)) return;
    list.push(value);
    if (list.length > 8) sets[k] = new Set(list);
  } else if (!set.has(value)) {
    set.add(value);
    list.push(value);
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

function tally<K>(target: Map<K, StateCounts>, key: K, state: SocketState): void {
  let entry = target.get(key);
  if (entry === undefined) target.set(key, (entry = { total: 0, byState: {} }));
  entry.total++;
  entry.byState[state] = (entry.byState[state] ?? 0) + 1;
}

function record<K extends string | number>(counts: Map<K, StateCounts>): Record<string, StateCounts> {
  const out: Record<string, StateCounts> = {};
  for (const [key, value] of counts) out[String(key)] = value;
  return out;
}

function verdictJson(finding: Finding, index: number): VerdictJson {
  return {
    id: `v${index}`,
    kind: finding.kind,
    title: finding.title,
    confidence: finding.confidence,
    summary: finding.summary,
    why: whyOf(finding.kind),
    evidence: finding.evidence,
    threads: ids(finding.threads),
    sockets: ids(finding.sockets),
    frames: finding.frames.map((f) => ({ class: f.class, method: f.method, file: f.file, line: f.line })),
  };
}

function inputJson(input: ParsedInput): InputJson {
  const detected = describeInput(input);
  return {
    index: input.index,
    name: input.name,
    label: detected.label,
    formats: input.formats,
    lines: input.lines.length,
    dumps: detected.dumps,
    threads: detected.threads,
    sockets: detected.sockets,
    jdk: detected.jdk,
    unparsed: input.unparsed.count,
    warnings: input.warnings,
  };
}

function dumpJson(dump: ThreadDump): DumpJson {
  return {
    index: dump.index,
    input: dump.input,
    format: dump.format,
    tool: dump.tool,
    line: dump.line,
    timestamp: dump.timestamp,
    jvm: dump.jvm,
    jdk: dump.jdk,
    pid: dump.pid,
    threads: dump.threads.length,
    reportedDeadlocks: dump.deadlocks.length,
  };
}

function ids(items: readonly { id: string }[]): string[] {
  return items.map((item) => item.id);
}
