// `ls -l /proc/<pid>/fd`: which file descriptors of a process are sockets (`57 -> socket:[38190]`). Pasted beside
// /proc/net/tcp (or ss -e), the inodes tie those sockets to the pid. The pid comes from the command or the
// `/proc/<pid>/fd:` heading ls prints for several directories.

const FD_ROW = /^[l-][rwxsStT-]{9}[.+@]?\s+\d+\s+\S+\s+\S+\s+\d+\s+.*?\s(\d+)\s+->\s+(\S.*)$/;
const HEADING = /^\/proc\/(\d+|self)\/fd:$/;
const LS_COMMAND = /\bls\b.*\/proc\/(\d+|self)\/fd\b/;

export interface FdRow {
  fd: string;
  /** The socket inode, or null for a descriptor that is no socket (a file, a pipe). */
  inode: string | null;
}

export function parseFdRow(t: string): FdRow | null {
  const m = FD_ROW.exec(t);
  if (!m) return null;
  return { fd: m[1], inode: /^socket:\[(\d+)\]$/.exec(m[2])?.[1] ?? null };
}

/** The pid a `ls -l /proc/<pid>/fd` command or heading names: a number, null for `self`, undefined when none. */
export function fdListingPid(t: string, command: string | null): number | null | undefined {
  const m = (command !== null ? LS_COMMAND.exec(command) : null) ?? HEADING.exec(t);
  if (!m) return undefined;
  return m[1] === 'self' ? null : Number(m[1]);
}
