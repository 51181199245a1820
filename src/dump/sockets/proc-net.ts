// `/proc/net/tcp` and `/proc/net/tcp6`, the kernel's own socket table: often the only listing inside a container
// without ss or netstat. Addresses are hex in the machine's byte order (little-endian on x86 and ARM, assumed here),
// states are hex codes, and the inode ties a socket to the process whose `/proc/<pid>/fd` links to `socket:[inode]`.
//   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//    0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 38158 1 ...
import type { SocketState } from '../model';
import { emptyRow, type RowResult, type RowTraits } from './row';

const ROW = /^\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{2})\s+([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8})\s+\S+\s+\S+\s+(\d+)\s+\d+\s+(\d+)/;
export const PROC_NET_HEADER = /^sl\s+local_address\s+rem(?:ote)?_address\s+st\s/;

const STATES: Record<number, SocketState> = {
  1: 'ESTABLISHED', 2: 'SYN_SENT', 3: 'SYN_RECV', 4: 'FIN_WAIT1', 5: 'FIN_WAIT2', 6: 'TIME_WAIT', 7: 'CLOSE',
  8: 'CLOSE_WAIT', 9: 'LAST_ACK', 10: 'LISTEN', 11: 'CLOSING', 12: 'SYN_RECV',
};

export function parseProcNetRow(t: string, traits: RowTraits): RowResult {
  const m = ROW.exec(t);
  if (!m) return null;
  const [, localHex, localPort, remoteHex, remotePort, state, txQueue, rxQueue, , inode] = m;
  const row = emptyRow('proc-net-tcp');
  row.ipv6 = localHex.length === 32;
  row.local = { host: hexAddress(localHex), port: Number.parseInt(localPort, 16) };
  row.remote = { host: hexAddress(remoteHex), port: Number.parseInt(remotePort, 16) };
  // Port 0 is no port: a listener's remote end, as netstat prints `0.0.0.0:*`.
  if (row.remote.port === 0) row.remote.port = null;
  if (row.local.port === 0) row.local.port = null;
  row.state = STATES[Number.parseInt(state, 16)] ?? 'UNKNOWN';
  row.sendQ = Number.parseInt(txQueue, 16);
  row.recvQ = Number.parseInt(rxQueue, 16);
  row.inode = inode === '0' ? null : inode;
  if (row.ipv6) traits.ipv6 = true;
  else traits.ipv4 = true;
  return row;
}

/** Four (IPv4) or sixteen (IPv6) bytes, each 32-bit word in little-endian order; `::ffff:a.b.c.d` becomes `a.b.c.d`. */
function hexAddress(hex: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    for (let k = 3; k >= 0; k--) bytes.push(Number.parseInt(hex.slice(word + k * 2, word + k * 2 + 2), 16));
  }
  if (bytes.every((b) => b === 0)) return bytes.length === 4 ? '0.0.0.0' : '::';
  if (bytes.length === 4) return bytes.join('.');
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}
