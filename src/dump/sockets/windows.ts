// Windows `netstat -ano` / `-anob`: `  TCP    10.0.0.1:8080    10.0.0.2:50000    ESTABLISHED     1234`, with
// `-b` adding the executable (`[java.exe]`) and sometimes a service name on the lines below the row.
import { colonEndpoint, normalizeState } from './endpoint';
import { emptyRow, OTHER_ROW, type RowResult, type RowTraits } from './row';

const ROW = /^(TCP|UDP)\s+(\S+)\s+(\S+)(?:\s+([A-Z_]+))?(?:\s+(\d+))?$/;

export function parseWindowsRow(t: string, traits: RowTraits): RowResult {
  const m = ROW.exec(t);
  if (!m) return null;
  const [, proto, localText, remoteText, stateWord, pid] = m;
  if (proto === 'UDP') {
    traits.udp = true;
    return OTHER_ROW;
  }
  const local = colonEndpoint(localText);
  const remote = colonEndpoint(remoteText);
  if (local === null || remote === null) return null;
  const row = emptyRow('netstat-windows');
  row.state = stateWord === undefined ? 'UNKNOWN' : normalizeState(stateWord) ?? 'UNKNOWN';
  row.ipv6 = localText.startsWith('[');
  row.local = local;
  row.remote = remote;
  if (pid !== undefined) {
    row.pid = Number(pid);
    traits.process = true;
  }
  return row;
}

/** `[java.exe]` below a row names its program (`netstat -b`). */
export function windowsExecutable(t: string): string | null {
  return /^\[(.+)\]$/.exec(t)?.[1] ?? null;
}
