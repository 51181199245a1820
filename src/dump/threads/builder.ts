// Blank threads and dumps for the parsers to fill; a thread's id and key follow from the place it is given once every
// input is read.
import type { Frame, JavaThread, Lock, ThreadDump, ThreadDumpFormat, ThreadState } from '../model';
import { threadId } from '../per-thread';

export function newThread(input: number, line: number, name: string): JavaThread {
  return new ParsedThread(input, line, name);
}

/**
 * A thread as the parsers fill it. Its id and key are made from its other fields when read, not kept: a report in
 * text reads a few of a dump's 150,000 threads by id, and two strings a thread were a tenth of what a dump keeps.
 */
class ParsedThread implements JavaThread {
  dump = -1;
  index = -1;
  number: number | null = null;
  daemon = false;
  priority: number | null = null;
  tid: string | null = null;
  nid: string | null = null;
  cpuMs: number | null = null;
  state: ThreadState = 'UNKNOWN';
  stateDetail: string | null = null;
  frames: Frame[] = [];
  locks: Lock[] = [];
  ownable: string[] = [];
  carrying: string | null = null;
  truncated = false;

  constructor(
    public input: number,
    public line: number,
    public name: string,
  ) {}

  get id(): string {
    return threadId(this.dump, this.index);
  }

  get key(): string {
    return `${this.name}#${this.number ?? this.nid ?? this.tid ?? ''}`;
  }
}

export function newDump(input: number, line: number, format: ThreadDumpFormat): ThreadDump {
  return { index: -1, input, format, line, timestamp: null, jvm: null, jdk: null, pid: null, tool: null, threads: [], deadlocks: [] };
}

const STATES: ReadonlyMap<string, ThreadState> = new Map(['RUNNABLE', 'BLOCKED', 'WAITING', 'TIMED_WAITING', 'NEW', 'TERMINATED'].map((s) => [s, s as ThreadState]));

export function toThreadState(word: string): ThreadState {
  // The one string of each state, not the word cut from the line: a thread keeps it, and 150,000 copies add up.
  return STATES.get(word) ?? STATES.get(word.toUpperCase()) ?? 'UNKNOWN';
}

/**
 * JVM-internal threads (GC, compiler, VM Thread) print no `java.lang.Thread.State:` line; the header's words
 * (`runnable`, `waiting on condition`) are all there is.
 */
export function stateFromHeaderWords(words: string): ThreadState {
  if (/runnable/i.test(words)) return 'RUNNABLE';
  if (/waiting for monitor entry|waiting to lock/i.test(words)) return 'BLOCKED';
  if (/sleeping/i.test(words)) return 'TIMED_WAITING';
  if (/Object\.wait|waiting on condition|parking/i.test(words)) return 'WAITING';
  return 'UNKNOWN';
}
