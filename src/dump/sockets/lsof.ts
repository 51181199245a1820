// lsof rows (`lsof -i`, `lsof -i:8080`, `lsof -nP -iTCP`): COMMAND PID [TID] USER FD TYPE DEVICE SIZE/OFF NODE NAME,
// with NAME `10.41.249.26:webcache->10.51.31.149:60494 (CLOSE_WAIT)`. Rows for other file types are recognised only
// after an lsof header, so they do not swallow other listings.
import { colonEndpoint, normalizeState } from './endpoint';
import { emptyRow, OTHER_ROW, type RowResult, type RowTraits } from './row';

const ROW_START = /^\S+\s+\d+\s/;

export function parseLsofRow(t: string, traits: RowTraits): RowResult {
  if (!ROW_START.test(t)) return null;
  const tokens = t.split(/\s+/);
  const type = tokens.findIndex((token, k) => k >= 3 && (token === 'IPv4' || token === 'IPv6'));
  if (type < 0) return null;
  const node = tokens.findIndex((token, k) => k > type && (token === 'TCP' || token === 'UDP'));
  if (node < 0 || node > type + 3 || node + 1 >= tokens.length) return null;
  if (tokens[node] === 'UDP') {
    traits.udp = true;
    return OTHER_ROW;
  }
  const [localText, remoteText] = tokens[node + 1].split('->');
  const local = colonEndpoint(localText);
  const remote = remoteText === undefined ? { host: '*', port: null } : colonEndpoint(remoteText);
  if (local === null || remote === null) return null;
  const row = emptyRow('lsof');
  const stateWord = /^\((\S+)\)$/.exec(tokens[node + 2] ?? '')?.[1];
  row.state = stateWord === undefined ? 'UNKNOWN' : normalizeState(stateWord) ?? 'UNKNOWN';
  row.ipv6 = tokens[type] === 'IPv6';
  row.local = local;
  row.remote = remote;
  row.program = tokens[0];
  row.pid = Number(tokens[1]);
  row.fd = tokens[type - 1];
  row.device = tokens[type + 1];
  traits.process = true;
  return row;
}

/** Any lsof row (files, pipes, UNIX sockets): understood, but only IPv4/IPv6 rows are sockets we count. */
export function isLsofFileRow(t: string): boolean {
  return ROW_START.test(t);
}
