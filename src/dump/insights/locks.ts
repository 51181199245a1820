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
const queuedTables = new WeakMap<ThreadDump, readonly LockEntry[]>();

/** The lock table of `dump`, made once: the report's JSON shows it whole. */
export function lockTable(dump: ThreadDump): readonly LockEntry[] {
  let table = tables.get(dump);
  if (table === undefined) tables.set(dump, (table = makeLockTable(dump, null)));
  return table;
}

/**
 * The entries of the lock table that some thread waits for (to take the lock, or for a notification on it), with
 * the ids and order they have in the whole table: they come first in it. The Java-deadlock verdict follows their
 * holders and the text report lists them; most locks a dump names are only held, and making an entry for each of
 * them was most of the time of a log of thousands of dumps.
 */
export function queuedLocks(dump: ThreadDump): readonly LockEntry[] {
  let queued = queuedTables.get(dump);
  if (queued === undefined) {
    const whole = tables.get(dump);
    queued = whole !== undefined ? whole.filter(isQueued) : makeLockTable(dump, queuedAddresses(dump));
    queuedTables.set(dump, queued);
  }
  return queued;
}

/** How many locks the table of `dump` has, counted without making it. */
export function lockCount(dump: ThreadDump): number {
  const whole = tables.get(dump);
  if (whole !== undefined) return whole.length;
  const addresses = new Set<string>();
  for (const thread of dump.threads) {
    for (const lock of thread.locks) {
      if (lock.address === null) continue;
      if (lock.kind === 'locked' ? stillHeld(thread, lock) : lock.kind !== 'eliminated' || lock.ownerName !== undefined) addresses.add(lock.address);
    }
    for (const address of thread.ownable) addresses.add(address);
  }
  return addresses.size;
}

function isQueued(e: LockEntry): boolean {
  return e.acquiring.length > 0 || e.waitingForNotification.length > 0;
}

/** The addresses a thread waits on: each gets a non-empty queue in the table, and no other address does. */
function queuedAddresses(dump: ThreadDump): Set<string> {
  const addresses = new Set<string>();
  for (const thread of dump.threads) for (const lock of thread.locks) if (lock.address !== null && isWait(lock)) addresses.add(lock.address);
  return addresses;
}

function isWait(lock: Lock): boolean {
  return lock.kind === 'waiting-to-lock' || lock.kind === 'waiting-to-relock' || lock.kind === 'parking' || lock.kind === 'waiting-on';
}

/** The table, or (with `only`) its entries for those addresses: every line naming them read in the same order. */
function makeLockTable(dump: ThreadDump, only: ReadonlySet<string> | null): LockEntry[] {
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
      if (lock.address === null || (only !== null && !only.has(lock.address))) continue;
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
    for (const address of thread.ownable) if (only === null || only.has(address)) entry({ address, className: null }, 'synchronizer').holder ??= thread;
  }
  let byName: Map<string, JavaThread> | null = null;
  const entries = [...byAddress.values()];
  for (const e of entries) {
    if (e.holder === null && e.holderName !== null) {
      byName ??= new Map(dump.threads.map((t) => [t.name, t]));
      e.holder = byName.get(e.holderName) ?? null;
    }
    if (e.holder !== null) e.holderName = null;
    // At their size (an array pushed to once holds room for 17): a log of thousands of dumps has many such lists.
    e.acquiring = e.acquiring.slice();
    e.waitingForNotification = e.waitingForNotification.slice();
  }
  // An entry nobody waits for sorts after every entry somebody does: the queued entries are the table's first.
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
