// Oracle/BEA JRockit thread dumps (`===== FULL THREAD DUMP ===============`): headers end in state words
// (`alive, in native, waiting`), frames use slashes and method descriptors (`java/lang/Object.wait(J)V(Native
// Method)`), and lock lines start with `--` or `^--` (`-- Blocked trying to get lock: java/lang/Object@0x2b8d6908
// [thin lock]`, `^-- Holding lock: ...`).
import type { LockKind, ThreadState } from '../model';

export const JROCKIT_START = /^=+\s*FULL THREAD DUMP\s*=+$/;
export const JROCKIT_END = /^=+\s*END OF THREAD DUMP\s*=+$/;
export const JROCKIT_BANNER = /^(?:BEA|Oracle)\s+JRockit\(R\)/;
/** `Blocked lock chains`, `Open lock chains`, `Circular (deadlocked) lock chains`: summaries after the threads. */
export const JROCKIT_CHAINS = /^(Circular \(deadlocked\)|Blocked|Open) lock chains$/;

export interface JrockitHeader {
  number: number;
  tid: string;
  priority: number;
  daemon: boolean;
  state: ThreadState;
  words: string;
}

const HEADER = /^\s*id=(\d+)\s+idx=0x[0-9a-fA-F]+\s+tid=(\d+)\s+prio=(\d+)\s*(.*)$/;

export function parseJrockitHeader(rest: string): JrockitHeader | null {
  const m = HEADER.exec(rest);
  if (!m) return null;
  const words = m[4].split(',').map((w) => w.trim()).filter((w) => w !== '');
  return { number: Number(m[1]), tid: m[2], priority: Number(m[3]), daemon: words.includes('daemon'), state: jrockitState(words), words: words.join(', ') };
}

// `native_blocked`/`native_waiting` mean blocked inside native code (a socket read): HotSpot calls that RUNNABLE.
function jrockitState(words: readonly string[]): ThreadState {
  if (words.includes('terminated')) return 'TERMINATED';
  if (words.includes('blocked')) return 'BLOCKED';
  if (words.includes('sleeping')) return 'TIMED_WAITING';
  if (words.includes('waiting') || words.includes('parked')) return 'WAITING';
  if (words.includes('alive')) return 'RUNNABLE';
  return 'UNKNOWN';
}

export interface JrockitLock {
  kind: LockKind;
  className: string;
  address: string;
}

const LOCK = /^\^?--\s+(Waiting for notification on|Blocked trying to get lock|Parking to wait for|Holding lock|Lock released while waiting):\s*(\S+?)@(0x[0-9a-fA-F]+)/;
const LOCK_KINDS: Record<string, LockKind | null> = {
  'Waiting for notification on': 'waiting-on',
  'Blocked trying to get lock': 'waiting-to-lock',
  'Parking to wait for': 'parking',
  'Holding lock': 'locked',
  // The monitor given up by Object.wait(): the `Waiting for notification` line already names it.
  'Lock released while waiting': null,
};

/** A `--`/`^--` line: the lock it names, null for one that adds nothing, undefined when it is no lock line. */
export function parseJrockitLock(t: string): JrockitLock | null | undefined {
  const m = LOCK.exec(t);
  if (!m) return /^\^?--\s/.test(t) ? null : undefined;
  const kind = LOCK_KINDS[m[1]];
  return kind === null ? null : { kind, className: m[2].replace(/\//g, '.'), address: m[3] };
}

/** `java/lang/Object.wait(J)V(Native Method)[optimized]` -> `java.lang.Object.wait(Native Method)`. */
export function jrockitFrame(text: string): string {
  const location = text.replace(/\[[\w ]+\]$/, '');
  const open = location.indexOf('(');
  if (open < 0) return location.replace(/\//g, '.');
  const last = location.lastIndexOf('(');
  return location.slice(0, open).replace(/\//g, '.') + location.slice(last);
}

/** `BEA JRockit(R) R27.6.0-50_o-100423-1.6.0_05-20080626-2104-linux-x86_64`: the Java release inside. */
export function jdkFromJrockitBanner(banner: string): number | null {
  const m = /-1\.(\d+)\.\d+/.exec(banner);
  return m ? Number(m[1]) : null;
}
