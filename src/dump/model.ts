import type { LogPrefixKind } from './log-prefix';
import type { Lines } from './text';

// The parsed facts of an incident: threads from thread dumps, sockets from socket listings. Parsers produce these,
// correlation and verdicts read them, the report turns them into plain JSON.

export type ThreadState = 'RUNNABLE' | 'BLOCKED' | 'WAITING' | 'TIMED_WAITING' | 'NEW' | 'TERMINATED' | 'UNKNOWN';

export interface Frame {
  /** The frame as printed after `at `, e.g. `com.x.Y.run(Y.java:12)`. */
  readonly text: string;
  readonly class: string;
  readonly method: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly native: boolean;
  /** Not JDK, container, framework or client-library code: the code the user can change. */
  readonly app: boolean;
}

export type LockKind = 'locked' | 'waiting-on' | 'waiting-to-lock' | 'waiting-to-relock' | 'parking' | 'eliminated';

export interface Lock {
  readonly kind: LockKind;
  /** `0x...` for HotSpot, the identity hash for VisualVM, or null when the dump prints no address. */
  readonly address: string | null;
  readonly className: string | null;
  /** Index of the frame the lock line follows (-1 when it precedes every frame). */
  readonly frame: number;
  /** Owner named by the dump itself (VisualVM `owned by:`, OpenJ9 `Owned by:`). */
  readonly ownerName?: string;
  readonly line: number;
}

export interface JavaThread {
  /** Stable within a report: `t<dump>-<index>` (see threadId), once the thread is numbered. */
  readonly id: string;
  /** Same thread across several dumps of one paste: name plus its JVM number or native id. */
  readonly key: string;
  input: number;
  dump: number;
  /** Place in its dump's thread list (what per-thread tables are indexed by); -1 until numbered. */
  index: number;
  /** 1-based line of the header in its input. */
  line: number;
  name: string;
  number: number | null;
  daemon: boolean;
  priority: number | null;
  tid: string | null;
  nid: string | null;
  cpuMs: number | null;
  state: ThreadState;
  /** Text after the state (`parking`, `on object monitor`) or the header's state words when no state line exists. */
  stateDetail: string | null;
  frames: Frame[];
  /** Filled by the parsers; read-only once the thread is parsed (an empty list may be one shared frozen array). */
  locks: Lock[];
  /** Addresses from `Locked ownable synchronizers:` (read-only once parsed, like `locks`). */
  ownable: string[];
  /** JDK 21+: the virtual thread this carrier runs (`Carrying virtual thread #N`). */
  carrying: string | null;
  /** A `...` or a cut-off line inside the stack: the paste lost frames. */
  truncated: boolean;
}

export type ThreadDumpFormat =
  | 'hotspot'
  | 'visualvm'
  | 'sap'
  | 'jcmd-json'
  | 'openj9'
  /** ThreadInfo.toString() and the JMX FullThreadDump style of health endpoints and JConsole plugins. */
  | 'jmx'
  | 'actuator-json'
  | 'actuator-text'
  | 'jrockit'
  /** Serviceability Agent: `jstack -F`, `jhsdb jstack`. */
  | 'sa';

export interface DeadlockEntry {
  thread: string;
  /** Object the thread waits for (`object 0x...`), when printed. */
  waitsFor: string | null;
  heldBy: string | null;
}

/** A deadlock as the JVM itself reported it (HotSpot `Found one Java-level deadlock:`, OpenJ9 `1LKDEADLOCK`). */
export interface ReportedDeadlock {
  line: number;
  entries: DeadlockEntry[];
}

export interface ThreadDump {
  index: number;
  input: number;
  format: ThreadDumpFormat;
  /** 1-based line where the dump starts. */
  line: number;
  timestamp: string | null;
  jvm: string | null;
  jdk: number | null;
  pid: number | null;
  /** The command that printed it, when the paste says (`jstack`, `jcmd Thread.print`, `kill -3`). */
  tool: string | null;
  threads: JavaThread[];
  deadlocks: ReportedDeadlock[];
}

export type SocketState =
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'LISTEN'
  | 'CLOSING'
  | 'UNKNOWN';

export type SocketListingFormat = 'netstat-linux' | 'netstat-bsd' | 'netstat-windows' | 'ss' | 'lsof' | 'proc-net-tcp';

export interface Endpoint {
  /** As printed, without brackets or `%iface`; IPv4-mapped IPv6 (`::ffff:10.0.0.1`) reduced to the IPv4 address. */
  host: string;
  /** null for `*` and for service names we cannot map. */
  port: number | null;
  /** The service name when the listing printed one (`webcache`, `https`). */
  service?: string;
}

export interface Socket {
  /** Stable within a report: `s<index>`. */
  id: string;
  /** Place in the report's socket list (what per-socket tables are indexed by); -1 until numbered. */
  index: number;
  input: number;
  line: number;
  format: SocketListingFormat;
  ipv6: boolean;
  state: SocketState;
  local: Endpoint;
  remote: Endpoint;
  recvQ: number | null;
  sendQ: number | null;
  pid: number | null;
  program: string | null;
  fd: string | null;
  /** netstat -o / ss -o timer, e.g. `keepalive (7196.98/0/0)`. */
  timer: string | null;
  /** lsof DEVICE: the same socket listed once per task or per sharing process. */
  device: string | null;
  /** Socket inode (/proc/net/tcp, ss -e): `ls -l /proc/<pid>/fd` links it to its process. */
  inode: string | null;
}

export interface UnparsedLine {
  line: number;
  text: string;
}

/** A TCP handle of a Node.js process, from the `libuv` section of its diagnostic report. */
export interface TcpHandle {
  /** 1-based line of the handle's `"type": "tcp"` in its input. */
  line: number;
  local: Endpoint;
  /** null for a listening server handle. */
  remote: Endpoint | null;
  /** libuv's is_active: the handle is reading (or listening). A connection Node stopped reading is inactive. */
  active: boolean;
  fd: number | null;
  /** Bytes Node has queued for the socket and the kernel has not taken yet. */
  writeQueueSize: number | null;
}

/** A Node.js diagnostic report (`process.report.getReport()`, `node --report-on-signal`, `--report-uncaught-exception`). */
export interface NodeReport {
  input: number;
  /** 1-based line where the report's JSON starts. */
  line: number;
  pid: number | null;
  nodeVersion: string | null;
  /** What wrote it: `SIGUSR2`, `JavaScript API`, `Exception`. */
  event: string | null;
  time: string | null;
  commandLine: string[];
  /** The main thread's JavaScript stack when the report was written; empty when the event loop was idle. */
  jsStack: string[];
  jsMessage: string | null;
  handles: TcpHandle[];
}

export type InputFormat = ThreadDumpFormat | SocketListingFormat | 'node-report';

/** Everything read from one pasted text or file. */
export interface ParsedInput {
  index: number;
  name: string;
  lines: Lines;
  dumps: ThreadDump[];
  sockets: Socket[];
  nodeReports: NodeReport[];
  formats: InputFormat[];
  /** Local port range printed in the paste (`sysctl net.ipv4.ip_local_port_range`, `netsh ... dynamicport`). */
  ephemeralRange: PortRange | null;
  /** Lines no parser understood. */
  unparsed: { count: number; sample: UnparsedLine[] };
  /** How the listing was produced, as far as its rows tell (`-tonp`), per format. */
  socketFlags: Partial<Record<SocketListingFormat, string>>;
  /** The container-log prefix taken off every line (`2026-11-29T10:00:00Z stdout F `), if any. */
  logPrefix: LogPrefixKind | null;
  warnings: string[];
}

export interface PortRange {
  low: number;
  high: number;
}
