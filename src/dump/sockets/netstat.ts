// netstat rows from Linux (`netstat -tanp`, `-tonp` with timers, `-an`, `-aeep`) and macOS/BSD (`netstat -an`,
// `netstat -p tcp -an`). Both print `Proto Recv-Q Send-Q Local Foreign (state) ...`; they differ in the address:
// Linux `10.0.0.1:8080`, BSD `10.0.0.1.8080`. BSD options add columns: `-A` a leading socket address (macOS also a
// flow hash), `-b` rxbytes and txbytes after the state, macOS `-v` the owning pid among more, FreeBSD `-T` three
// counters in place of the queues (and no state).
import { normalizeState, type ListingValues } from './endpoint';
import { emptyRow, OTHER_ROW, type RowResult, type RowTraits, type SocketRow } from './row';

const ROW =
  /^(?:([0-9a-f]{6,16})\s+(?:([0-9a-f]{1,8})\s+)?)?(tcp|tcp4|tcp6|tcp46|udp|udp4|udp6|udp46|udpl|raw|raw6|icm4|icm6|sctp|sctp4|sctp6)\s+(\d+)\s+(\d+)\s+(?:(\d+)\s+)?(\S+)\s+(\S+)(?:\s+(.*))?$/;
const TIMER = /(?:^|\s)((?:keepalive|on|off|timewait|probe|unkn)\s*\([^)]*\))\s*$/;
const PID_PROGRAM = /(?:^|\s)(\d+)\/(\S.*?)\s*$/;

export function parseNetstatRow(t: string, traits: RowTraits, shared: ListingValues): RowResult {
  const m = ROW.exec(t);
  if (!m) return null;
  const [, pcb, , proto, first, second, third, localText, remoteText, restText] = m;
  if (!proto.startsWith('tcp')) {
    if (proto.startsWith('udp')) traits.udp = true;
    return OTHER_ROW;
  }
  let local = shared.colonEndpoint(localText);
  let remote = shared.colonEndpoint(remoteText);
  let format: 'netstat-linux' | 'netstat-bsd' = 'netstat-linux';
  if (local === null || remote === null || proto === 'tcp4' || proto === 'tcp46' || pcb !== undefined || third !== undefined) {
    local = shared.dotEndpoint(localText);
    remote = shared.dotEndpoint(remoteText);
    format = 'netstat-bsd';
  }
  if (local === null || remote === null) return null;
  const row = emptyRow(format);
  row.ipv6 = proto.endsWith('6') || (format === 'netstat-bsd' ? localText.includes(':') : localText.indexOf(':') !== localText.lastIndexOf(':'));
  row.local = local;
  row.remote = remote;
  if (third === undefined) {
    row.recvQ = Number(first);
    row.sendQ = Number(second);
  } else traits.counters = true;
  if (pcb !== undefined) traits.pcb = true;
  let rest = (restText ?? '').trim();
  const stateWord = /^(\S+)/.exec(rest)?.[1];
  const state = stateWord === undefined ? null : normalizeState(stateWord);
  if (state !== null) {
    row.state = state;
    rest = rest.slice(stateWord?.length ?? 0).trim();
  }
  const timer = TIMER.exec(rest);
  if (timer) {
    row.timer = timer[1];
    traits.timer = true;
    rest = rest.slice(0, timer.index).trim();
  }
  const owner = PID_PROGRAM.exec(rest);
  if (owner) {
    row.pid = Number(owner[1]);
    row.program = shared.name(owner[2]);
    traits.process = true;
    rest = rest.slice(0, owner.index).trim();
  } else if (/(?:^|\s)-$/.test(rest)) {
    traits.process = true;
    rest = rest.replace(/(?:^|\s)-$/, '').trim();
  }
  // netstat -e prints `User Inode` before the process column.
  if (format === 'netstat-linux' && /^\S+\s+\d+$/.test(rest)) {
    traits.extended = true;
    row.inode = /(\d+)$/.exec(rest)?.[1] ?? null;
  }
  if (format === 'netstat-bsd' && rest !== '') bsdColumns(row, rest.split(/\s+/), traits);
  return row;
}

/** After the state: `-b` rxbytes txbytes; `-v` adds rhiwat shiwat, then the pid (older macOS) or `process:pid`. */
function bsdColumns(row: SocketRow, tokens: readonly string[], traits: RowTraits): void {
  if (tokens.length >= 2 && /^\d+$/.test(tokens[0]) && /^\d+$/.test(tokens[1])) traits.bytes = true;
  const named = tokens.map((t) => /^(.+):(\d+)$/.exec(t)).find((m) => m !== null);
  if (named) {
    row.program = named[1];
    row.pid = Number(named[2]);
  } else if (tokens.length >= 8 && /^\d+$/.test(tokens[4])) row.pid = Number(tokens[4]);
  if (row.pid !== null) {
    traits.verbose = true;
    traits.process = true;
  }
}
