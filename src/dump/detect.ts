// Human labels for what an input holds: "jstack, JDK 17, 212 threads", "ss -tanp, 4,024 sockets", or both for a
// combined paste.
import type { InputFormat, NodeReport, ParsedInput, SocketListingFormat, ThreadDump, ThreadDumpFormat } from './model';
import { FrameTable } from './threads/frame';
import { parseInput } from './parse';
import { count, plural } from './words';
import type { LogPrefixKind } from './log-prefix';

export interface DetectedInput {
  formats: InputFormat[];
  /** The container-log prefix the lines carried (`cri`, `docker-json`, ...), if any. */
  logPrefix: LogPrefixKind | null;
  label: string;
  dumps: number;
  threads: number;
  /** TCP sockets. */
  sockets: number;
  jdk: number | null;
  warnings: string[];
}

export function detectInput(text: string): DetectedInput {
  return describeInput(parseInput(text, 0, 'input', new FrameTable()));
}

export function describeInput(input: ParsedInput): DetectedInput {
  const threads = input.dumps.reduce((n, d) => n + d.threads.length, 0);
  const jdks = new Set(input.dumps.map((d) => d.jdk));
  const jdk = jdks.size === 1 ? [...jdks][0] : null;
  return { formats: input.formats, logPrefix: input.logPrefix, label: inputLabel(input, threads, jdk), dumps: input.dumps.length, threads, sockets: input.sockets.length, jdk, warnings: input.warnings };
}

const LOG_NAMES: Record<LogPrefixKind, string> = {
  cri: 'a Kubernetes container log',
  timestamps: 'timestamped container logs',
  'kubectl-prefix': 'kubectl logs --prefix',
  compose: 'docker compose logs',
  'docker-json': 'a Docker json-file log',
};

const DUMP_NAMES: Record<ThreadDumpFormat, string> = {
  hotspot: 'jstack',
  visualvm: 'VisualVM',
  sap: 'SAP JVM',
  'jcmd-json': 'jcmd Thread.dump_to_file (JSON)',
  openj9: 'OpenJ9 javacore',
  jmx: 'JMX ThreadInfo',
  'actuator-json': 'Spring Boot /actuator/threaddump (JSON)',
  'actuator-text': 'Spring Boot /actuator/threaddump (text)',
  jrockit: 'JRockit',
  sa: 'jhsdb jstack',
};

function inputLabel(input: ParsedInput, threads: number, jdk: number | null): string {
  const parts: string[] = [];
  if (input.dumps.length > 0) {
    const words = [dumpToolName(input.dumps)];
    if (jdk !== null) words.push(`JDK ${jdk}`);
    if (input.dumps.length > 1) words.push(`${count(input.dumps.length)} dumps`);
    words.push(plural(threads, 'thread'));
    parts.push(words.join(', '));
  }
  for (const report of input.nodeReports) parts.push(nodeReportLabel(report));
  const listings = new Map<SocketListingFormat, number>();
  for (const s of input.sockets) listings.set(s.format, (listings.get(s.format) ?? 0) + 1);
  for (const [format, n] of listings) parts.push(`${listingName(format, input.socketFlags[format] ?? '')}, ${plural(n, 'socket')}`);
  if (parts.length > 0) return parts.join(' + ') + (input.logPrefix !== null ? ` (in ${LOG_NAMES[input.logPrefix]})` : '');
  if (input.warnings.includes('empty input')) return 'empty';
  return input.warnings.some((w) => w.startsWith('binary')) ? 'binary data' : 'not recognised';
}

function nodeReportLabel(report: NodeReport): string {
  const words = ['Node.js diagnostic report'];
  if (report.nodeVersion !== null) words.push(report.nodeVersion);
  if (report.pid !== null) words.push(`pid ${report.pid}`);
  words.push(plural(report.handles.length, 'TCP handle'));
  return words.join(', ');
}

function dumpToolName(dumps: readonly ThreadDump[]): string {
  const tools = new Set(dumps.map((d) => d.tool ?? DUMP_NAMES[d.format]));
  return [...tools].join(' / ');
}

function listingName(format: SocketListingFormat, flags: string): string {
  const withFlags = (command: string): string => (flags === '' ? command : `${command} ${flags}`);
  switch (format) {
    case 'netstat-linux':
      return withFlags('netstat');
    case 'netstat-bsd':
      return `${withFlags('netstat')} (macOS/BSD)`;
    case 'netstat-windows':
      return `${withFlags('netstat')} (Windows)`;
    case 'ss':
      return withFlags('ss');
    case 'lsof':
      return withFlags('lsof');
    case 'proc-net-tcp':
      return `/proc/net/${flags === '' ? 'tcp' : flags}`;
  }
}
