// The report: plain JSON for the CLI (`--format json`), the panel and the Markdown export. The first four keys are
// the public contract (threads, sockets, verdicts, unparsed); the rest is what the panel needs to draw and link.
import type { InputFormat, JavaThread, ParsedInput, Socket, SocketState, ThreadDump, ThreadDumpFormat, ThreadState, UnparsedLine } from './model';
import type { ActivityKind } from './activity';
import type { Correlation, DumpAnalysis, LinkReason } from './correlate';
import { poolNameOf } from './pools';
import { threadPlace } from './per-thread';
import type { Direction, ServerPort } from './sockets/view';
import type { Evidence, Finding, VerdictKind } from './verdicts/types';
import { describeInput } from './detect';
import { whyOf } from './verdicts';
import { addInsights, type InsightsJson } from './insights/json';
import { stackJson } from './frame-json';
import { lazyArray, unbuiltItems } from './lazy';
import { socketsSection } from './report-sockets';
import type { Timeline } from './insights/timeline';

export type { HotMethodJson, InsightsJson, LockJson, OverTimeJson } from './insights/json';
export { waitedLocks } from './insights/json';

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
  const report: DumpReport = {
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
    locks: [],
    topMethods: [],
    overTime: null,
  };
  addInsights(report, correlation, timeline);
  return report;
}

function threadsSection(dumps: readonly ThreadDump[], correlation: Correlation): DumpReport['threads'] {
  const groups: ThreadGroupJson[] = [];
  const pools: PoolJson[] = [];
  for (const analysis of correlation.dumps) {
    for (const group of analysis.groups) {
      const frames = stackJson(group.frames);
      const json: ThreadGroupJson = {
        id: group.id,
        dump: group.dump,
        state: group.state,
        activity: group.activity,
        count: group.threads.length,
        threads: [],
        names: firstNames(group.threads, 20),
        frames,
        appFrame: frames.find((f) => f.app) ?? null,
      };
      threadIds(json, group.threads);
      groups.push(json);
    }
    for (const pool of analysis.pools) {
      const json: PoolJson = { name: pool.name, dump: pool.dump, port: pool.port, size: pool.threads.length, idle: pool.idle, busy: pool.busy, waiting: pool.waiting, byState: pool.byState, threads: [] };
      threadIds(json, pool.threads);
      pools.push(json);
    }
  }
  let total = 0;
  for (const dump of dumps) total += dump.threads.length;
  const section = { total, byState: countByState(correlation), groups, pools, items: [] as ThreadJson[] };
  lazyArray(section, 'items', () => threadItems(dumps, correlation));
  pickers.set(section, (wanted) => pickThreads(dumps, correlation, wanted));
  return section;
}

/**
 * Threads by state, counted from the groups (which split each dump's threads by stack and state) rather than thread by
 * thread. The states come in the order the dumps first show them: in its first dump, a state's place is the first
 * thread of its groups (each group's first thread is its earliest).
 */
function countByState(correlation: Correlation): Partial<Record<ThreadState, number>> {
  const counts = new Map<ThreadState, number>();
  for (const analysis of correlation.dumps) {
    const inDump = new Map<ThreadState, number>();
    // States no earlier dump showed, by the place of their first thread in this one.
    const fresh = new Map<ThreadState, number>();
    for (const group of analysis.groups) {
      const { state, threads } = group;
      inDump.set(state, (inDump.get(state) ?? 0) + threads.length);
      if (counts.has(state)) continue;
      const first = fresh.get(state);
      if (first === undefined || threads[0].index < first) fresh.set(state, threads[0].index);
    }
    for (const [state] of [...fresh].sort((x, y) => x[1] - y[1])) counts.set(state, 0);
    for (const [state, n] of inDump) counts.set(state, (counts.get(state) ?? 0) + n);
  }
  return Object.fromEntries(counts);
}

/** Above this many threads, a group's or pool's list of thread ids is made when read. */
const EAGER_IDS = 64;

/**
 * `json.threads`: the ids of `threads`. The text report never reads them, and a big dump's groups hold every one of
 * its threads: a long list is made when read (JSON streams it), a short one at once (cheaper than deferring it).
 */
function threadIds(json: { threads: string[] }, threads: readonly JavaThread[]): void {
  if (threads.length <= EAGER_IDS) json.threads = ids(threads);
  else lazyArray(json, 'threads', () => ids(threads));
}

/** The names of the first `n` threads. */
function firstNames(threads: readonly JavaThread[], n: number): string[] {
  const names = new Array<string>(Math.min(n, threads.length));
  for (let k = 0; k < names.length; k++) names[k] = threads[k].name;
  return names;
}

const pickers = new WeakMap<object, (wanted: Iterable<string>) => Iterable<ThreadJson>>();

/**
 * The items of the threads with these ids, by id: what the text report names (a lock's holder and first waiters)
 * without building an item for each of a million threads when the items were not built yet.
 */
export function threadsById(report: DumpReport, ids: Iterable<string>): Map<string, ThreadJson> {
  const found = new Map<string, ThreadJson>();
  const pick = unbuiltItems(report.threads, 'items') !== undefined ? pickers.get(report.threads) : undefined;
  if (pick !== undefined) {
    for (const t of pick(ids)) found.set(t.id, t);
    return found;
  }
  const wanted = new Set(ids);
  if (wanted.size > 0) for (const t of report.threads.items) if (wanted.has(t.id)) found.set(t.id, t);
  return found;
}

function* threadItems(dumps: readonly ThreadDump[], correlation: Correlation): Generator<ThreadJson> {
  for (const dump of dumps) {
    const analysis = analysisOf(correlation, dump);
    // By the thread's place in the dump (see PerThread): pools hold threads of this dump only.
    const poolOf = new Array<string | null>(dump.threads.length).fill(null);
    for (const pool of analysis?.pools ?? []) for (const t of pool.threads) poolOf[t.index] = pool.name;
    for (let k = 0; k < dump.threads.length; k++) yield threadItem(dump.threads[k], analysis, poolOf[k]);
  }
}

/** The threads of these ids found by the place each id names (see threadId): no thread is walked to find them. */
function* pickThreads(dumps: readonly ThreadDump[], correlation: Correlation, ids: Iterable<string>): Generator<ThreadJson> {
  for (const id of ids) {
    const place = threadPlace(id);
    const dump = place !== null ? dumps[place.dump] : undefined;
    const t = place !== null ? dump?.threads[place.index] : undefined;
    if (dump === undefined || t === undefined || t.id !== id) continue;
    const analysis = analysisOf(correlation, dump);
    // A thread is in the pool its name names, when the dump kept that pool (see findPools).
    const name = poolNameOf(t.name);
    yield threadItem(t, analysis, name !== null && analysis?.pools.some((p) => p.name === name) ? name : null);
  }
}

/** The analysis of `dump`: correlate analyses the dumps in their order. */
function analysisOf(correlation: Correlation, dump: ThreadDump): DumpAnalysis | undefined {
  const analysis = correlation.dumps[dump.index];
  return analysis?.dump === dump ? analysis : correlation.dumps.find((a) => a.dump === dump);
}

function threadItem(t: JavaThread, analysis: DumpAnalysis | undefined, pool: string | null): ThreadJson {
  return {
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
    pool,
    group: analysis?.groupOf.get(t)?.id ?? '',
    activity: analysis?.activity.get(t)?.kind ?? 'running',
    carrying: t.carrying,
    truncated: t.truncated,
  };
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
