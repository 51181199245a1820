// What a row parser returns: a TCP socket (its input, line and ids not given yet), or a recognised row that is not TCP.
import type { Socket } from '../model';

/**
 * A TCP socket as a row parser returns it: the socket of the report, its input, line and ids still to be given. One
 * object, of one shape for every format (emptyRow writes every field), so 100,000 rows make 100,000 objects.
 */
export type SocketRow = Socket;

/** A row of the listing that is understood but not a TCP socket (UDP, raw, UNIX). */
export const OTHER_ROW = 'other';

export type RowResult = SocketRow | typeof OTHER_ROW | null;

/** Facts about the rows that tell how the listing was produced, for labels like `netstat -tonp`. */
export interface RowTraits {
  udp?: boolean;
  /** Host or service names instead of numbers: run without -n. */
  names?: boolean;
  timer?: boolean;
  process?: boolean;
  /** netstat -e / ss -e columns (user, inode). */
  extended?: boolean;
  /** BSD netstat -A: the socket (PCB) address column, macOS also its flow hash. */
  pcb?: boolean;
  /** BSD netstat -b: rxbytes/txbytes. */
  bytes?: boolean;
  /** FreeBSD netstat -T: retransmit, out-of-order and zero-window counters instead of the queues. */
  counters?: boolean;
  /** macOS netstat -v: the owning pid. */
  verbose?: boolean;
  /** /proc/net/tcp6 and /proc/net/tcp rows. */
  ipv6?: boolean;
  ipv4?: boolean;
}

export function emptyRow(format: SocketRow['format']): SocketRow {
  return {
    id: '',
    index: -1,
    input: 0,
    line: 0,
    format,
    ipv6: false,
    state: 'UNKNOWN',
    local: { host: '*', port: null },
    remote: { host: '*', port: null },
    recvQ: null,
    sendQ: null,
    pid: null,
    program: null,
    fd: null,
    timer: null,
    device: null,
    inode: null,
  };
}

/** A host printed as a name rather than an address, or a port printed as a service name. */
export function usesNames(row: SocketRow): boolean {
  const named = (host: string): boolean => host !== '*' && !/^[\d.:a-fA-F]+$/.test(host);
  return row.local.service !== undefined || row.remote.service !== undefined || named(row.local.host) || named(row.remote.host);
}
