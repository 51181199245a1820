// Addresses as the listing tools print them, and the TCP state names each tool uses, reduced to one spelling.
import type { Endpoint, SocketState } from '../model';
import { SharedStrings } from '../shared-strings';

/** /etc/services names that listings print instead of numbers when run without -n (lsof -i, netstat -a). */
const SERVICES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, http: 80, www: 80, 'www-http': 80,
  pop3: 110, sunrpc: 111, ntp: 123, 'netbios-ns': 137, 'netbios-dgm': 138, 'netbios-ssn': 139, imap: 143, imap2: 143,
  snmp: 161, ldap: 389, https: 443, 'microsoft-ds': 445, submission: 587, ipp: 631, ldaps: 636, rsync: 873,
  imaps: 993, pop3s: 995, rmiregistry: 1099, 'ms-sql-s': 1433, nfs: 2049, eforward: 2181, mysql: 3306,
  'ms-wbt-server': 3389, postgresql: 5432, postgres: 5432, mdns: 5353, amqp: 5672, x11: 6000, redis: 6379,
  'http-alt': 8080, webcache: 8080, tproxy: 8081, 'us-cli': 8082, 'us-srv': 8083, 'pcsync-https': 8443,
  websm: 9090, jetdirect: 9100, memcache: 11211, mongodb: 27017,
};

export function servicePort(name: string): number | null {
  return SERVICES[name.toLowerCase()] ?? null;
}

const PORT_TOKEN = /^(?:\d{1,5}|\*|[A-Za-z][\w+-]*)$/;

/** `10.0.0.1:8080`, `[::1]:8080`, `:::8080`, `::ffff:10.0.0.1:8080`, `*:ssh`, `127.0.0.53%lo:53` (Linux, lsof, Windows). */
export function colonEndpoint(text: string): Endpoint | null {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return null;
  return endpoint(text, 0, colon, colon + 1, text.length);
}

/** `10.0.0.1.8080`, `*.22`, `fe80::1.8080`, `localhost.62823`, `host.https` (macOS and BSD netstat). */
export function dotEndpoint(text: string): Endpoint | null {
  const dot = text.lastIndexOf('.');
  if (dot < 0) return null;
  return endpoint(text, 0, dot, dot + 1, text.length);
}

/**
 * The endpoints and owner names of one listing, one object for each text as far as it repeats: a server's own
 * address repeats on every inbound row, a client's on each of its connections, the owner's name on every row, and a
 * listing of 100,000 rows kept 200,000 endpoints. Endpoints are remembered in a small table, one slot per hash of the
 * text's end, not in a map of every text: most endpoint texts (a client's address and port) occur once, and a map of
 * them made analysing a 100,000-row listing a sixth slower, sharing nothing. Shared between sockets: never change one.
 */
export class ListingValues {
  private readonly colon = new EndpointSlots(colonEndpoint);
  private readonly dot = new EndpointSlots(dotEndpoint);
  private readonly names = new SharedStrings();

  /** colonEndpoint(text), the same object for the same text while it stays in its slot. */
  colonEndpoint(text: string): Endpoint | null {
    return this.colon.get(text);
  }

  /** dotEndpoint(text), the same object for the same text while it stays in its slot. */
  dotEndpoint(text: string): Endpoint | null {
    return this.dot.get(text);
  }

  /** The first owner name read with this text. */
  name(text: string): string {
    return this.names.get(text);
  }
}

/** A power of two: a text repeated on every row stays in its slot for about this many rows of others. */
const SLOTS = 1024;

/** Endpoints by text in a direct-mapped table: a text evicts the one before it in its slot. */
class EndpointSlots {
  private readonly texts: string[] = new Array<string>(SLOTS).fill('');
  private readonly values: (Endpoint | null)[] = new Array<Endpoint | null>(SLOTS).fill(null);

  constructor(private readonly read: (text: string) => Endpoint | null) {}

  get(text: string): Endpoint | null {
    // The port and the host's last digits are where endpoint texts differ.
    let hash = text.length;
    for (let i = Math.max(0, text.length - 6); i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
    const slot = hash & (SLOTS - 1);
    if (this.texts[slot] === text) return this.values[slot];
    const value = this.read(text);
    this.texts[slot] = text;
    this.values[slot] = value;
    return value;
  }
}

/** The host in text[hostStart, hostEnd) and the port token in text[portStart, portEnd). */
function endpoint(text: string, hostStart: number, hostEnd: number, portStart: number, portEnd: number): Endpoint | null {
  // Numbers first, by hand: a listing of 100,000 rows has 200,000 of them.
  const port = portNumber(text, portStart, portEnd);
  if (port >= 0) return port <= 65535 ? { host: normalizeHost(text, hostStart, hostEnd), port } : null;
  const portToken = text.slice(portStart, portEnd);
  if (!PORT_TOKEN.test(portToken)) return null;
  const host = normalizeHost(text, hostStart, hostEnd);
  if (portToken === '*') return { host, port: null };
  return { host, port: servicePort(portToken), service: portToken };
}

/** The value of one to five digits (PORT_TOKEN's number), -1 for any other token. */
function portNumber(text: string, start: number, end: number): number {
  if (end <= start || end - start > 5) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

function normalizeHost(text: string, start: number, end: number): string {
  if (end - start >= 2 && text.charCodeAt(start) === 91 /* [ */ && text.charCodeAt(end - 1) === 93 /* ] */) {
    start++;
    end--;
  }
  const zone = text.indexOf('%', start);
  if (zone >= 0 && zone < end) end = zone;
  if (end === start) return '*';
  let host = text.slice(start, end);
  // `::ffff:10.0.0.1`, an IPv4 address in IPv6 form (only a host starting with a colon can be one).
  const mapped = host.charCodeAt(0) === 58 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host) : null;
  if (mapped) host = mapped[1];
  return host;
}

export function isWildcardHost(host: string): boolean {
  return host === '*' || host === '0.0.0.0' || host === '::' || host === '[::]';
}

export function isLoopbackHost(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host === 'localhost' || host === 'ip6-localhost';
}

const STATE_SPELLINGS: Record<string, SocketState> = {
  ESTABLISHED: 'ESTABLISHED', ESTAB: 'ESTABLISHED',
  SYN_SENT: 'SYN_SENT', 'SYN-SENT': 'SYN_SENT',
  SYN_RECV: 'SYN_RECV', 'SYN-RECV': 'SYN_RECV', SYN_RECEIVED: 'SYN_RECV', SYN_RCVD: 'SYN_RECV', NEW_SYN_RECV: 'SYN_RECV',
  FIN_WAIT1: 'FIN_WAIT1', FIN_WAIT_1: 'FIN_WAIT1', 'FIN-WAIT-1': 'FIN_WAIT1',
  FIN_WAIT2: 'FIN_WAIT2', FIN_WAIT_2: 'FIN_WAIT2', 'FIN-WAIT-2': 'FIN_WAIT2',
  TIME_WAIT: 'TIME_WAIT', 'TIME-WAIT': 'TIME_WAIT',
  CLOSE: 'CLOSE', CLOSED: 'CLOSE',
  CLOSE_WAIT: 'CLOSE_WAIT', 'CLOSE-WAIT': 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK', 'LAST-ACK': 'LAST_ACK',
  LISTEN: 'LISTEN', LISTENING: 'LISTEN',
  CLOSING: 'CLOSING',
  UNKNOWN: 'UNKNOWN', BOUND: 'UNKNOWN', IDLE: 'UNKNOWN',
};

/** One spelling (netstat's) for ss's `CLOSE-WAIT`, Windows' `LISTENING`, BSD's `SYN_RCVD`; null if not a TCP state. */
export function normalizeState(word: string): SocketState | null {
  // As printed (upper case) without making a new string; any other spelling through toUpperCase.
  return (Object.hasOwn(STATE_SPELLINGS, word) ? STATE_SPELLINGS[word] : STATE_SPELLINGS[word.toUpperCase()]) ?? null;
}
