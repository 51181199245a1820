// A verdict's evidence in words: the verdict rules key their numbers in camelCase (`closeWait: 13`), people read
// "13 CLOSE_WAIT connections". The panel and the Markdown report show a label beside each value, the text report a
// phrase per entry.
import { count } from './words';

/** Counted things: [one, many], and for 0 the phrase to say instead of "0 ...". */
const COUNTED: Record<string, readonly [one: string, many: string, none?: string]> = {
  closeWait: ['CLOSE_WAIT connection', 'CLOSE_WAIT connections'],
  selfConnections: ['connection from the process to its own port', 'connections from the process to its own port'],
  stuckWorkers: ['stuck worker', 'stuck workers'],
  busyWorkers: ['busy worker', 'busy workers'],
  poolSize: ['worker seen in the pool', 'workers seen in the pool'],
  inboundConnections: ['inbound connection', 'inbound connections'],
  readingThreads: ['thread reading', 'threads reading'],
  unreadData: ['connection with unread data', 'connections with unread data'],
  connections: ['connection', 'connections'],
  timeWait: ['TIME_WAIT connection', 'TIME_WAIT connections'],
  established: ['ESTABLISHED connection', 'ESTABLISHED connections'],
  rangeSize: ['port in the ephemeral range', 'ports in the ephemeral range'],
  connectionsToPeer: ['connection to the peer', 'connections to the peer'],
  emptyQueues: ['connection with empty queues', 'connections with empty queues'],
  threads: ['thread', 'threads'],
  waitingBehind: ['thread waiting behind them', 'threads waiting behind them'],
  stacksInPaste: ['stack in the paste', 'stacks in the paste'],
  waitingThreads: ['waiting thread', 'waiting threads'],
  workers: ['worker', 'workers'],
  waitingForFuture: ['thread waiting for a future', 'threads waiting for a future'],
  dumpsShowing: ['dump showing it', 'dumps showing it'],
  dumps: ['dump', 'dumps', 'no dump'],
  pinnedCarriers: ['pinned carrier thread', 'pinned carrier threads'],
  carriers: ['carrier thread', 'carrier threads'],
  monitors: ['monitor held', 'monitors held'],
  stuckAcrossDumps: ['thread stuck across dumps', 'threads stuck across dumps'],
  closedByPeer: ['leased connection the peer already closed', 'leased connections the peer already closed'],
  completedRecently: ['request answered recently', 'requests answered recently'],
  stoppedReading: ['connection Node stopped reading', 'connections Node stopped reading'],
  unansweredInnerRequests: ['inner request never read by the server', 'inner requests never read by the server'],
  waitingConnections: ['connection waiting for an answer', 'connections waiting for an answer'],
  clients: ['client', 'clients'],
};

/** Named facts: their label. */
const DETAILS: Record<string, string> = {
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
  parkedOnCarrier: 'carrier parked by the JDK',
  stuckFor: 'stuck for',
  route: 'route',
  runtime: 'runtime',
  eventLoop: 'event loop',
};

/** An unknown key still reads as words: `someNewKey` -> "some new key". */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The label of a key in a two-column table ("CLOSE_WAIT connections" | 13). */
export function evidenceLabel(key: string): string {
  return COUNTED[key]?.[1] ?? DETAILS[key] ?? words(key);
}

/** "13 CLOSE_WAIT connections", "1 stuck worker", "no connection from the process to its own port". */
export function countPhrase(key: string, n: number): string {
  const [one, many, none] = COUNTED[key] ?? [words(key), words(key)];
  if (n === 0) return none ?? `no ${one}`;
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** "port 8080", "waiting in FutureTask.get ...", "reported by the JVM" (for yes): a label and its value. */
export function detailPhrase(key: string, value: string): string {
  const label = DETAILS[key] ?? words(key);
  if (value === 'yes') return label;
  if (value === 'no') return `not ${label}`;
  return `${label} ${value}`;
}

/** The whole evidence as one sentence of phrases. */
export function evidenceText(evidence: { readonly counts: Readonly<Record<string, number>>; readonly details: Readonly<Record<string, string>> }): string {
  return [
    ...Object.entries(evidence.counts).map(([key, n]) => countPhrase(key, n)),
    ...Object.entries(evidence.details).map(([key, value]) => detailPhrase(key, value)),
  ].join(', ');
}
