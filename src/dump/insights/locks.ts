// The lock table: every monitor and java.util.concurrent synchronizer a dump names, with the thread holding it, the
// threads waiting to acquire it and the threads waiting for a notification or signal on it (TDA's monitors,
// spotify's synchronizers). A contended lock with a busy holder is where a stall starts.
import type { Frame, JavaThread, Lock, ThreadDump } from '../model';
import { stillHeld } from '../threads/held';

export interface LockEntry {
  id: string;
  dump: number;
  address: string;
  className: string | null;
  kind: 'monitor' | 'synchronizer';
  holder: JavaThread | null;
  /** The holder's frame that took the lock (the frame a `locked` line follows). */
  heldAt: Frame | null;
  /** The owner's name as a waiter's lock line prints it, when no thread of the dump shows it holding the lock. */
  holderName: string | null;
  acquiring: JavaThread[];
  waitingForNotification: JavaThread[];
}

const tables = new WeakMap<ThreadDump, readonly LockEntry[]>();

/** The lock table of `dump`, made once: the report shows it and the Java-deadlock verdict follows its holders. */
export function lockTable(dump: ThreadDump): readonly LockEntry[] {
  let table = tables.get(dump);
  if (table === undefined) tables.set(dump, (table = makeLockTable(dump)));
  return table;
}

function makeLockTable(dump: ThreadDump): LockEntry[] {
  const byAddress = new Map<string, LockEntry>();
  const entry = (lock: Lock | { address: string; className: string | null }, kind: LockEntry['kind']): LockEntry => {
    const address = lock.address ?? '';
    let found = byAddress.get(address);
    if (found === undefined) {
      found = { id: '', dump: dump.index, address, className: lock.className, kind, holder: null, heldAt: null, holderName: null, acquiring: [], waitingForNotification: [] };
      byAddress.set(address, found);
    }
    found.className ??= lock.className;
    if (kind === 'synchronizer') found.kind = kind;
    return found;
  };
  for (const thread of dump.threads) {
    for (const lock of thread.locks) {
      if (lock.address === null) continue;
      const kind = isSynchronizer(lock) ? 'synchronizer' : 'monitor';
      if (lock.kind === 'locked' && stillHeld(thread, lock)) {
        const e = entry(lock, kind);
        if (e.holder === null) {
          e.holder = thread;
          e.heldAt = thread.frames[lock.frame] ?? null;
        }
      }
      else if (lock.kind === 'waiting-to-lock' || lock.kind === 'waiting-to-relock' || (lock.kind === 'parking' && isLockLike(lock))) addOnce(entry(lock, kind).acquiring, thread);
      else if (lock.kind === 'waiting-on' || lock.kind === 'parking') addOnce(entry(lock, kind).waitingForNotification, thread);
      if (lock.ownerName !== undefined && lock.kind !== 'locked') {
        const e = entry(lock, kind);
        if (e.holder === null) e.holderName = lock.ownerName;
      }
    }
    for (const address of thread.ownable) entry({ address, className: null }, 'synchronizer').holder ??= thread;
  }
  let byName: Map<string, JavaThread> | null = null;
  const entries = [...byAddress.values()];
  for (const e of entries) {
    if (e.holder === null && e.holderName !== null) {
      byName ??= new Map(dump.threads.map((t) => [t.name, t]));
      e.holder = byName.get(e.holderName) ?? null;
    }
    if (e.holder !== null) e.holderName = null;
  }
  entries.sort((a, b) => b.acquiring.length - a.acquiring.length || b.waitingForNotification.length - a.waitingForNotification.length || Number(b.holder !== null) - Number(a.holder !== null));
  entries.forEach((e, k) => (e.id = `k${dump.index}-${k}`));
  return entries;
}

function isSynchronizer(lock: Lock): boolean {
  return lock.kind === 'parking' || (lock.className ?? '').startsWith('java.util.concurrent.');
}

/**
 * Parking on a lock or semaphore waits to acquire it; parking on anything else (a Condition, a latch, a future, a
 * pool's queue) waits for a signal from another thread.
 */
function isLockLike(lock: Lock): boolean {
  return /(?:ReentrantLock|ReentrantReadWriteLock|StampedLock|Semaphore)\$\w*Sync$|\.locks\.\w*Lock$/.test(lock.className ?? '');
}

/** Threads come one at a time, so a thread already in the list is its last one (100,000 waiters cost 100,000 steps). */
function addOnce(list: JavaThread[], thread: JavaThread): void {
  if (list[list.length - 1] !== thread) list.push(thread);
}
