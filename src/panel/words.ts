// Plain words for the panel: verdict kinds, thread activities, evidence keys, sizes.
import type { ActivityKind, VerdictKind } from '../dump/index';

export const VERDICT_KIND_WORDS: Record<VerdictKind, string> = {
  'self-call-deadlock': 'Self-call deadlock',
  'socket-leak': 'Socket leak',
  'pool-exhaustion': 'Pool exhaustion',
  'java-deadlock': 'Java deadlock',
  'port-exhaustion': 'Port exhaustion',
  'slow-peer': 'Slow peer',
  'pinned-carrier': 'Pinned carriers',
};

export const ACTIVITY_WORDS: Record<ActivityKind, string> = {
  idle: 'idle, waiting for work',
  selector: 'waiting for I/O events',
  'socket-read': 'reading from a socket',
  'socket-write': 'writing to a socket',
  'socket-connect': 'connecting',
  'socket-accept': 'accepting connections',
  'lease-wait': 'waiting for a pooled connection',
  'future-wait': 'waiting for a result (future)',
  'lock-wait': 'waiting for a lock',
  'object-wait': 'in Object.wait',
  parked: 'parked',
  sleeping: 'sleeping',
  running: 'running',
  'no-stack': 'no Java stack',
};

/** Evidence keys the verdict rules use, in words; other keys fall back to their camelCase split. */
const EVIDENCE_WORDS: Record<string, string> = {
  closeWait: 'CLOSE_WAIT connections',
  selfConnections: 'connections to its own port',
  stuckWorkers: 'stuck workers',
  busyWorkers: 'busy workers',
  poolSize: 'workers seen',
  inboundConnections: 'inbound connections',
  readingThreads: 'threads reading',
  unreadData: 'connections with unread data',
  connections: 'connections',
  timeWait: 'TIME_WAIT connections',
  established: 'ESTABLISHED connections',
  rangeSize: 'ports in the range',
  connectionsToPeer: 'connections to the peer',
  emptyQueues: 'connections with empty queues',
  threads: 'threads',
  waitingBehind: 'threads waiting behind them',
  stacksInPaste: 'stacks in the paste',
  waitingThreads: 'waiting threads',
  workers: 'workers',
  waitingForFuture: 'waiting for a future',
  dumpsShowing: 'dumps showing it',
  dumps: 'dumps',
  port: 'port',
  basis: 'basis',
  pool: 'pool',
  pid: 'process id',
  waitingIn: 'waiting',
  reportedByJvm: 'reported by the JVM',
  locks: 'locks',
  library: 'library',
  peer: 'peer',
  defaultLimit: 'at the default limit',
  range: 'ephemeral port range',
  rangeSource: 'range from',
  share: 'share of the range used',
  client: 'client',
  endpoint: 'endpoint',
  direction: 'direction',
  pinnedCarriers: 'pinned carrier threads',
  carriers: 'carrier threads',
  monitors: 'monitors held',
  parkedOnCarrier: 'carrier parked by the JDK',
  stuckAcrossDumps: 'threads stuck across dumps',
  stuckFor: 'stuck for',
};

export function evidenceLabel(key: string): string {
  return EVIDENCE_WORDS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count(n)} ${n === 1 ? singular : pluralForm}`;
}

export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** `12.3 MB`, `480 KB`, `900 characters`: sizes of pasted text, counted in characters (close enough to bytes). */
export function size(chars: number): string {
  if (chars >= 1024 * 1024) return `${(chars / 1024 / 1024).toFixed(1)} MB`;
  if (chars >= 10 * 1024) return `${Math.round(chars / 1024)} KB`;
  return plural(chars, 'character');
}
