// Thread dumps printed from java.lang.management.ThreadInfo rather than by the JVM: ThreadInfo.toString()
// (`"name" daemon prio=5 Id=12 BLOCKED on java.lang.Object@1b6d3586 owned by "x" Id=11 (in native)`, at most 8
// frames, `-  blocked on`, `Number of locked synchronizers = 1`), the JMX FullThreadDump style of JConsole plugins
// and health endpoints (`"name" Id=12 in BLOCKED on lock=...`, ` owned by x Id=11`, `Locked synchronizers: count =
// 1`) and `"name" id=12 state=RUNNABLE`. The header names the lock the thread waits for and its owner.
import type { JavaThread, LockKind, ThreadState } from '../model';
import { toThreadState } from './builder';

export interface JmxHeader {
  number: number;
  daemon: boolean;
  priority: number | null;
  state: ThreadState;
  /** `java.lang.Object@1b6d3586`: what the thread waits for, as `Class@identityHash`. */
  lockName: string | null;
  ownerName: string | null;
  detail: string | null;
}

const HEADER = /^\s*(daemon\s+)?(?:prio=(\d+)\s+)?[Ii]d=(\d+)\s+(?:in\s+|state=)?([A-Z_]+)\b(.*)$/;
const ON_LOCK = /^\s+on\s+(?:lock=)?(\S+)/;
const OWNER = /\s+owned by\s+"(.*?)"\s+Id=\d+/;
const FLAGS = /\((suspended|in native|running in native)\)/g;

/** The text after the quoted name, when it is a JMX header (an `Id=` and no `tid=`, which HotSpot prints). */
export function parseJmxHeader(rest: string): JmxHeader | null {
  if (/\btid=/.test(rest)) return null;
  const m = HEADER.exec(rest);
  if (!m) return null;
  const [, daemon, prio, id, state, tail] = m;
  const flags = [...tail.matchAll(FLAGS)].map((f) => f[1]);
  return {
    number: Number(id),
    daemon: daemon !== undefined,
    priority: prio !== undefined ? Number(prio) : null,
    state: toThreadState(state),
    lockName: ON_LOCK.exec(tail)?.[1] ?? null,
    ownerName: OWNER.exec(tail)?.[1] ?? null,
    detail: flags.length > 0 ? flags.join(', ') : null,
  };
}

/** ` owned by holder Id=12` on its own line below a FullThreadDump-style header. */
export function jmxOwnerLine(t: string): string | null {
  return /^owned by\s+"?(.+?)"?\s+[Ii]d=\d+$/.exec(t)?.[1] ?? null;
}

/** `Number of locked synchronizers = 1` (toString) and `Locked synchronizers: count = 1` (FullThreadDump). */
export function isJmxSynchronizersLine(t: string): boolean {
  return /^(?:Number of locked synchronizers\s*=|Locked synchronizers:\s*count\s*=)\s*\d+$/.test(t);
}

const IDENTITY = /^([^\s@<(]+)@([0-9a-fA-F]+)$/;

/**
 * Once a JMX thread's stack is read: the lock its header names is added unless a lock line repeated it, with the
 * owner the header gives; and `waiting on`, which JMX prints for every wait, stays a notification wait only in
 * Object.wait() (elsewhere the thread is parked on a java.util.concurrent lock or condition).
 */
export function settleJmxLocks(thread: JavaThread, header: { name: string; owner: string | null; line: number } | null): void {
  if (header !== null) {
    const identity = IDENTITY.exec(header.name);
    const address = identity?.[2] ?? header.name;
    if (!thread.locks.some((l) => l.address === address)) {
      const kind: LockKind = thread.state === 'BLOCKED' ? 'waiting-to-lock' : 'waiting-on';
      thread.locks.push({ kind, address, className: identity?.[1] ?? null, frame: 0, line: header.line });
    }
    const owner = header.owner;
    if (owner !== null) thread.locks = thread.locks.map((l) => (l.address === address && l.kind !== 'locked' ? { ...l, ownerName: owner } : l));
  }
  const top = thread.frames[0];
  const inWait = top !== undefined && top.class === 'java.lang.Object' && top.method.startsWith('wait');
  if (!inWait) thread.locks = thread.locks.map((l) => (l.kind === 'waiting-on' ? { ...l, kind: 'parking' } : l));
}
