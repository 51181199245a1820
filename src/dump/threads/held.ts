// Which monitors a thread holds. Object.wait() gives up the monitor it waits on, though the frame below still prints
// `locked` for it.
import type { JavaThread, Lock } from '../model';

/** A `locked` line of the thread that it still holds (not given up by a wait on the same monitor). */
export function stillHeld(thread: JavaThread, lock: Lock): boolean {
  if (lock.kind !== 'locked') return false;
  for (const other of thread.locks) if (other.kind === 'waiting-on' && other.address === lock.address) return false;
  return true;
}
