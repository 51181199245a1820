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

