// The socket listing of one capture: `ss -tanp`, else `netstat -tanp`, else the kernel's tables
// (`/proc/<pid>/net/tcp{,6}` with `ls -l /proc/<pid>/fd`, the only way in an image with neither tool), else
// `lsof` (a machine without /proc). The first way that works is kept for the following captures. The listing is
// narrowed to the target process (by the pid each row names, or by the socket inodes among its fds) with every
// listening socket of the host kept: the self-call proof needs to see who listens on the port a process calls.
// Rows are read by the dump core's own parsers; only lines are dropped here.
import { analyzeDump } from '../dump/index';
import { commandMissing, howItEnded, succeeded, type ExecResult } from './exec';
import type { Runner } from './runner';
import { shellLine } from './target';

export type SocketMethod = 'ss' | 'netstat' | 'proc' | 'lsof';

export interface SocketListing {
  /** Commands and outputs as a terminal would show them (`$ ss -tanp` then its rows). */
  text: string;
  method: SocketMethod;
  /** Sockets in the listing before and after narrowing it to the process. */
  total: number;
  kept: number;
  /** Why the listing could not be narrowed to the process (it stays whole), or null. */
  unfiltered: string | null;
}

const ORDER: readonly SocketMethod[] = ['ss', 'netstat', 'proc', 'lsof'];

export class SocketLister {
  private method: SocketMethod | null = null;
  /** Local ports whose sockets are the capture's own (the inspector it talks to): left out. */
  readonly ownPorts = new Set<number>();

  /**
   * `startWith: 'proc'` for a process in another network namespace: ss and netstat here would not see its sockets.
   * `ownersVisible` when the listing shows the process's sockets as its own (we are root or its user): a listing in
   * which none names it then means it has none, not that they are hidden.
   */
  constructor(
    private readonly runner: Runner,
    private readonly pid: number,
    private readonly startWith: SocketMethod = 'ss',
    private readonly ownersVisible = false,
  ) {}

  /** One listing, or why none could be taken. */
  async take(): Promise<SocketListing | { error: string }> {
    const failures: string[] = [];
    const methods = this.method !== null ? [this.method] : ORDER.slice(ORDER.indexOf(this.startWith));
    for (const method of methods) {
      const got = await this.list(method);
      if (this.runner.cancelled) return { error: 'cancelled' };
      if ('text' in got) {
        this.method = method;
        return narrow(got.text, method, this.pid, { owners: got.owners, ownPorts: this.ownPorts, ownersVisible: this.ownersVisible });
      }
      failures.push(got.error);
      // A tool that exists but failed (permissions, a timeout) says more than trying the next one would.
      if (!got.missing) break;
    }
    return { error: failures.join('; ') };
  }

  private async list(method: SocketMethod): Promise<{ text: string; owners: boolean } | { error: string; missing: boolean }> {
    switch (method) {
      case 'ss':
        return this.single(['ss', '-tanp']);
      case 'netstat':
        return this.single(['netstat', '-tanp']);
      case 'lsof': {
        // The process's own sockets, then the listeners of the host (lsof cannot say "this pid or listening").
        const own = await this.single(['lsof', '-nP', '-iTCP', '-a', '-p', String(this.pid)]);
        if (!('text' in own)) return own;
        const listeners = await this.single(['lsof', '-nP', '-iTCP', '-sTCP:LISTEN']);
        return { text: 'text' in listeners ? `${own.text}\n${listeners.text}` : own.text, owners: true };
      }
      case 'proc':
        return this.proc();
    }
  }

  private async single(command: string[]): Promise<{ text: string; owners: boolean } | { error: string; missing: boolean }> {
    const result = await this.runner.run(command);
    // lsof exits 1 when nothing matched: an empty listing, not a failure.
    const empty = command[0] === 'lsof' && result.code === 1 && result.stdout.trim() === '' && !commandMissing(result);
    if (!succeeded(result) && !empty) return failure(result);
    return { text: transcript(command, result.stdout), owners: true };
  }

  private async proc(): Promise<{ text: string; owners: boolean } | { error: string; missing: boolean }> {
    const parts: string[] = [];
    for (const table of ['tcp', 'tcp6']) {
      const command = ['cat', `/proc/${this.pid}/net/${table}`];
      const result = await this.runner.run(command);
      // No tcp6 where IPv6 is off: the IPv4 table alone is the listing.
      if (succeeded(result)) parts.push(transcript(command, result.stdout));
      else if (table === 'tcp') return failure(result, /no such file/i.test(result.stderr));
    }
    const fdCommand = ['ls', '-l', `/proc/${this.pid}/fd`];
    const fds = await this.runner.run(fdCommand);
    if (succeeded(fds)) parts.push(transcript(fdCommand, fds.stdout));
    return { text: parts.join('\n'), owners: succeeded(fds) };
  }
}

function failure(result: ExecResult, missing = commandMissing(result)): { error: string; missing: boolean } {
  return { error: howItEnded(result), missing };
}

/** A command's output as pasted from a terminal: the prompt line names the command (and the pid, for the parsers). */
export function transcript(command: readonly string[], output: string): string {
  return `$ ${shellLine(command)}\n${output.replace(/\n+$/, '')}\n`;
}

/**
 * Drops the rows of other processes, keeping the target's rows, every listener and every other line (headers,
 * prompts, the fd listing). A listing in which no socket names the process cannot be narrowed when the owners may be
 * hidden (ss shows the owners of another user's sockets only to root; /proc/<pid>/fd may be unreadable): it stays
 * whole, and says why. When they are visible (`ownersVisible`), the process simply has no TCP socket: the listeners stay.
 */
export function narrow(
  text: string,
  method: SocketMethod,
  pid: number,
  { owners = true, ownPorts = new Set<number>(), ownersVisible = false }: { owners?: boolean; ownPorts?: ReadonlySet<number>; ownersVisible?: boolean } = {},
): SocketListing {
  const all = analyzeDump([{ name: 'sockets', text }]).sockets.items;
  const own = new Set(all.filter((s) => s.local.port !== null && ownPorts.has(s.local.port)).map((s) => s.line));
  const items = all.filter((s) => !own.has(s.line));
  const total = items.length;
  const keep = (drop: ReadonlySet<number>): string => text.split('\n').filter((_, k) => !drop.has(k + 1)).join('\n');
  if (!owners || (!ownersVisible && !items.some((s) => s.pid === pid))) {
    const why = !owners
      ? `the fds of pid ${pid} could not be listed (ls -l /proc/${pid}/fd), so its sockets cannot be told from the others`
      : `no socket in the listing names pid ${pid} (the owners of another user's sockets show only to that user or root)`;
    return { text: keep(own), method, total, kept: total, unfiltered: total === 0 ? null : why };
  }
  const others = items.filter((s) => s.state !== 'LISTEN' && s.pid !== pid).map((s) => s.line);
  return { text: keep(new Set([...own, ...others])), method, total, kept: total - others.length, unfiltered: null };
}
