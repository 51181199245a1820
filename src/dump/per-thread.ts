// A value for each thread of one dump, kept by the thread's place in the dump (JavaThread.index): a Map keyed by a
// hundred thousand thread objects costs a hash lookup with a cache miss on every read, and verdicts read it often.
import type { JavaThread } from './model';

export class PerThread<T> {
  constructor(
    private readonly threads: readonly JavaThread[],
    private readonly values: readonly T[],
  ) {}

  /** The value of `thread`; undefined for a thread of another dump. */
  get(thread: JavaThread): T | undefined {
    const k = thread.index;
    return this.threads[k] === thread ? this.values[k] : undefined;
  }
}


/** A thread's id names its place: dump `d`, `k`-th thread of it. */
export function threadId(dump: number, index: number): string {
  return `t${dump}-${index}`;
}

/** The place threadId names, read back: a thread is found from its id without walking every thread. */
export function threadPlace(id: string): { dump: number; index: number } | null {
  const place = /^t(\d+)-(\d+)$/.exec(id);
  return place !== null ? { dump: Number(place[1]), index: Number(place[2]) } : null;
}
