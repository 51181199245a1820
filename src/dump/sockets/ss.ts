// ss rows: `ss -tanp`, `ss -tan`, `ss -tulpen` (`[Netid] State Recv-Q Send-Q Local:Port Peer:Port [Process]`), with
// ss's own state spellings (ESTAB, CLOSE-WAIT) and the owner as `users:(("java",pid=27836,fd=1712))`.
import { normalizeState, type ListingValues } from './endpoint';
import { emptyRow, OTHER_ROW, type RowResult, type RowTraits } from './row';

const ROW =
  /^(?:(tcp|udp|raw|u_str|u_dgr|u_seq|nl|p_raw|p_dgr|mptcp|sctp|dccp|v_str|v_dgr|icmp6|xdp|tipc)\s+)?(ESTAB|LISTEN|CLOSE-WAIT|TIME-WAIT|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|LAST-ACK|CLOSING|CLOSED|CLOSE|UNCONN|UNKNOWN|NEW-SYN-RECV|BOUND)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/;
const USERS = /users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=(\d+)\)/;
const TIMER = /timer:\(([^)]*)\)/;

export function parseSsRow(t: string, traits: RowTraits, shared: ListingValues): RowResult {
  const m = ROW.exec(t);
  if (!m) return null;
  const [, netid, stateWord, recvQ, sendQ, localText, remoteText, rest = ''] = m;
  if ((netid !== undefined && netid !== 'tcp') || (netid === undefined && stateWord === 'UNCONN')) {
    if (netid === 'udp' || stateWord === 'UNCONN') traits.udp = true;
    return OTHER_ROW;
  }
  const local = shared.colonEndpoint(localText);
  const remote = shared.colonEndpoint(remoteText);
  if (local === null || remote === null) return null;
  const row = emptyRow('ss');
  row.state = normalizeState(stateWord) ?? 'UNKNOWN';
  row.ipv6 = localText.startsWith('[') || localText.indexOf(':') !== localText.lastIndexOf(':');
  row.local = local;
  row.remote = remote;
  row.recvQ = Number(recvQ);
  row.sendQ = Number(sendQ);
  // Each pattern only where its words are: most rows have an owner and nothing else.
  const users = rest.includes('users:((') ? USERS.exec(rest) : null;
  if (users) {
    row.program = shared.name(users[1]);
    row.pid = Number(users[2]);
    row.fd = users[3];
    traits.process = true;
  }
  const timer = rest.includes('timer:(') ? TIMER.exec(rest) : null;
  if (timer) {
    row.timer = timer[1];
    traits.timer = true;
  }
  const ino = rest.includes('ino:');
  if ((ino || rest.includes('uid:') || rest.includes('sk:')) && /\b(?:ino|uid|sk):/.test(rest)) traits.extended = true;
  const inode = ino ? /\bino:(\d+)/.exec(rest)?.[1] : undefined;
  if (inode !== undefined && inode !== '0') row.inode = inode;
  return row;
}
