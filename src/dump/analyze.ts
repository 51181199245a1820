// analyzeDump: every input through the parsers, then ids, Node.js reports joined with the listing, correlation,
// verdicts and the report.
import type { ParsedInput, PortRange, Socket, SocketListingFormat, ThreadDump } from './model';
import type { DumpText } from './text';
import type { Thresholds } from './verdicts/types';
import { FrameTable } from './threads/frame';
import { parseInput } from './parse';
import { correlate } from './correlate';
import { findVerdicts } from './verdicts';
import { joinNodeReports } from './node/join';
import { buildReport, type DumpReport } from './report';
import { buildTimeline } from './insights/timeline';
import { withPersistence } from './verdicts/persistence';

export interface DumpInput {
  /** Shown in labels and evidence (a file name, "pasted thread dump"). */
  name?: string;
  /** One string, or chunks that end at line breaks (what decodeDumpChunks gives for a large file). */
  text: DumpText;
}

export interface AnalyzeOptions {
  /** Top frames that must match for threads to share a group (default 8). */
  groupDepth?: number;
  /** Local port range of the machine, when the paste does not print it (default: the platform's). */
  ephemeralPortRange?: PortRange;
  thresholds?: Partial<Thresholds>;
}

const DEFAULT_THRESHOLDS: Thresholds = { closeWait: 10, slowPeerReaders: 5, leaseWaiters: 3 };

const DEFAULT_RANGES: Record<'linux' | 'windows' | 'bsd', { range: PortRange; source: string }> = {
  linux: { range: { low: 32768, high: 60999 }, source: 'the Linux default' },
  windows: { range: { low: 49152, high: 65535 }, source: 'the Windows default' },
  bsd: { range: { low: 49152, high: 65535 }, source: 'the macOS default' },
};

export function analyzeDump(inputs: string | readonly DumpInput[], options: AnalyzeOptions = {}): DumpReport {
  const list: readonly DumpInput[] = typeof inputs === 'string' ? [{ name: 'input', text: inputs }] : inputs;
  const frames = new FrameTable();
  const parsed = list.map((input, k) => parseInput(input.text, k, input.name ?? `input ${k + 1}`, frames));
  const dumps = numberDumps(parsed.flatMap((p) => p.dumps));
  const sockets = numberSockets(distinctSockets(parsed.flatMap((p) => p.sockets)));
  // Before correlation: a report names the owners of rows a listing without -p leaves unowned.
  const nodeProcesses = joinNodeReports(parsed.flatMap((p) => p.nodeReports), sockets);
  const correlation = correlate(dumps, sockets, options.groupDepth ?? 8);
  const { range, source } = ephemeralRange(options, parsed, sockets);
  const timeline = buildTimeline(correlation.dumps);
  const { findings: found, failures } = findVerdicts({
    correlation,
    sockets,
    nodeProcesses,
    ephemeralRange: range,
    ephemeralRangeSource: source,
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    lineText: (input, line) => parsed[input]?.lines.at(line - 1) ?? '',
  });
  // A rule that failed is a defect of ours: said where the user looks, beside what the other rules found.
  parsed[0]?.warnings.push(...failures);
  const findings = withPersistence(found, timeline);
  return buildReport({ inputs: parsed, dumps, sockets, correlation, findings, timeline });
}

function numberDumps(dumps: ThreadDump[]): ThreadDump[] {
  dumps.forEach((dump, d) => {
    dump.index = d;
    dump.threads.forEach((thread, k) => {
      thread.dump = d;
      thread.index = k;
    });
  });
  return dumps;
}

/**
 * The same connection pasted twice (netstat and ss of one moment) is one socket; `*:22` over IPv4 and IPv6 are two,
 * and so are rows of two processes (a listing without owners matches either). A duplicate's owner fills in one
 * the first row lacked.
 */
function distinctSockets(sockets: Socket[]): Socket[] {
  // Rows are looked up by their ports, as a number: a key string per row costs more than the rest of the step. A
  // bucket that many rows share (one port pair, many hosts) moves to keys that name the whole connection, so that
  // no input makes this step quadratic. Most port pairs have one socket: the Map holds it alone until a second
  // comes (an array per port pair was most of the garbage of this step).
  const byPorts = new Map<number | string, Socket | Socket[] | null>();
  const byConnection = new Map<string, Socket[]>();
  const kept: Socket[] = [];
  for (const s of sockets) {
    const ports = portsKey(s);
    const entry = byPorts.get(ports);
    if (entry === undefined) {
      byPorts.set(ports, s);
      kept.push(s);
      continue;
    }
    let bucket: Socket[] | null = null;
    if (Array.isArray(entry)) bucket = entry;
    else if (entry !== null) byPorts.set(ports, (bucket = [entry]));
    const candidates = bucket ?? listOf(byConnection, connectionKey(s));
    const same = candidates.find((k) => sameConnection(k, s) && (k.pid === null || s.pid === null || k.pid === s.pid));
    if (same === undefined) {
      candidates.push(s);
      kept.push(s);
      if (bucket !== null && bucket.length > CROWDED_BUCKET) {
        for (const k of bucket) listOf(byConnection, connectionKey(k)).push(k);
        byPorts.set(ports, null);
      }
    } else if (same.pid === null && s.pid !== null) {
      same.pid = s.pid;
      same.program ??= s.program;
    }
  }
  return kept;
}

const CROWDED_BUCKET = 32;

/**
 * Both ports folded into one small integer (a port printed as a service name, rare, as a string). Two port pairs
 * may fold alike: the bucket then holds both, and sameConnection tells them apart.
 */
function portsKey(s: Socket): number | string {
  const { local, remote } = s;
  if (local.service !== undefined || remote.service !== undefined) return `${local.port ?? local.service}|${remote.port ?? remote.service}`;
  return ((local.port ?? 0) << 14) ^ (remote.port ?? 0);
}

function connectionKey(s: Socket): string {
  return `${s.ipv6}|${s.local.host}|${s.local.port ?? s.local.service}|${s.remote.host}|${s.remote.port ?? s.remote.service}|${s.state}`;
}

function sameConnection(a: Socket, b: Socket): boolean {
  return (
    a.state === b.state &&
    a.ipv6 === b.ipv6 &&
    a.local.host === b.local.host &&
    a.remote.host === b.remote.host &&
    (a.local.port ?? a.local.service) === (b.local.port ?? b.local.service) &&
    (a.remote.port ?? a.remote.service) === (b.remote.port ?? b.remote.service)
  );
}

function listOf<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  return list;
}

function numberSockets(sockets: Socket[]): Socket[] {
  sockets.forEach((s, k) => {
    s.id = `s${k}`;
    s.index = k;
  });
  return sockets;
}

function ephemeralRange(options: AnalyzeOptions, parsed: readonly ParsedInput[], sockets: readonly Socket[]): { range: PortRange; source: string } {
  if (options.ephemeralPortRange !== undefined) return { range: options.ephemeralPortRange, source: 'as configured' };
  const printed = parsed.find((p) => p.ephemeralRange !== null)?.ephemeralRange ?? null;
  if (printed !== null) return { range: printed, source: 'as printed in the paste' };
  const formats = new Map<SocketListingFormat, number>();
  for (const s of sockets) formats.set(s.format, (formats.get(s.format) ?? 0) + 1);
  const dominant = [...formats].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (dominant === 'netstat-windows') return DEFAULT_RANGES.windows;
  if (dominant === 'netstat-bsd') return DEFAULT_RANGES.bsd;
  return DEFAULT_RANGES.linux;
}
