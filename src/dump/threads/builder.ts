// Blank threads and dumps for the parsers to fill; ids and keys are given once every input is read.
import type { JavaThread, ThreadDump, ThreadDumpFormat, ThreadState } from '../model';

export function newThread(input: number, line: number, name: string): JavaThread {
  return {
    id: '',
    key: '',
    input,
    dump: -1,
    index: -1,
    line,
    name,
    number: null,
    daemon: false,
    priority: null,
    tid: null,
    nid: null,
    cpuMs: null,
    state: 'UNKNOWN',
    stateDetail: null,
    frames: [],
    locks: [],
    ownable: [],
    carrying: null,
    truncated: false,
  };
}

export function newDump(input: number, line: number, format: ThreadDumpFormat): ThreadDump {
  return { index: -1, input, format, line, timestamp: null, jvm: null, jdk: null, pid: null, tool: null, threads: [], deadlocks: [] };
}

const STATES: ReadonlySet<string> = new Set(['RUNNABLE', 'BLOCKED', 'WAITING', 'TIMED_WAITING', 'NEW', 'TERMINATED']);

export function toThreadState(word: string): ThreadState {
  // As printed (upper case) without a new string; any other spelling through toUpperCase.
  if (STATES.has(word)) return word as ThreadState;
  const upper = word.toUpperCase();
  return STATES.has(upper) ? (upper as ThreadState) : 'UNKNOWN';
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
