// HotSpot-style text thread dumps: jstack, jstack -l, kill -3, jcmd Thread.print (JDK 6 to 25), VisualVM's
// `"x" - Thread t@N` form (and Spring Boot Actuator's text/plain dump, which copies it), SAP JVM logs, and the
// relatives that share its line shapes: JMX ThreadInfo text (jmx.ts), JRockit (jrockit.ts), `jstack -F` and
// `jhsdb jstack` (sa.ts). Reads line by line and keeps whatever it understands; prompts, `...`, log lines and other
// sections around the dumps are left for the other parsers or reported as unparsed.
//
// This file holds the parser's state machine and a thread's own lines (header, state, frames, lock lines);
// hotspot-sections.ts reads the lines around the threads (banners, timestamps, processes, sections, the relatives'
// markers), and hotspot-lines.ts holds the line shapes both test.
import type { Frame, JavaThread, Lock, LockKind, ThreadDump } from '../model';
import { NOISE_LINE, THREAD_LINE, UNCLAIMED, type Claims } from '../claims';
import type { Lines } from '../text';
import type { FrameTable, StackNode } from './frame';
import { newDump, newThread, toThreadState } from './builder';
import { isSpace, readHotspotHeader, splitHeader } from './header';
import type { DeadlockReportReader } from './deadlock-report';
import { SharedStrings } from '../shared-strings';
import { jdkFromFrameText } from './jdk-version';
import { parseJmxHeader, settleJmxLocks } from './jmx';
import { jrockitFrame, parseJrockitHeader, parseJrockitLock } from './jrockit';
import { parseSaFrame, saState } from './sa';
import { ADDRESS, HASH_IN_BRACKETS, HEADER_ATTRIBUTE, IDENTITY, isWordLetter, LOCK_CLASS, LOCK_LINE, LOCK_VERBS, OWNED_BY, STATE_PREFIX, WRAPPED_HEADER_TAIL } from './hotspot-lines';
import { otherLine, type HotspotState, type Mode } from './hotspot-sections';

export interface HotspotResult {
  dumps: ThreadDump[];
  /** Frames before the first thread header: the paste starts inside a stack. */
  orphanFrames: number;
  /** Lines the parser failed on (left unread, the rest read on): how many, and the first one's number and error. */
  failed: { count: number; line: number; message: string } | null;
}

export function parseHotspotDumps(lines: Lines, claims: Claims, input: number, frames: FrameTable): HotspotResult {
  return new HotspotParser(lines, claims, input, frames).run();
}

const NO_LOCKS = Object.freeze([]) as unknown as Lock[];
const NO_ADDRESSES = Object.freeze([]) as unknown as string[];

/**
 * A finished thread keeps its lock lists at their size: most threads have none (one shared empty array), and an
 * array pushed to once holds room for 17. Threads are most of what a 100 MB dump keeps in memory.
 */
function settleArrays(thread: JavaThread): void {
  thread.locks = thread.locks.length === 0 ? NO_LOCKS : thread.locks.slice();
  thread.ownable = thread.ownable.length === 0 ? NO_ADDRESSES : thread.ownable.slice();
}

/** Its members that are not private are the HotspotState that hotspot-sections.ts moves along. */
class HotspotParser implements HotspotState {
  private readonly dumps: ThreadDump[] = [];
  private orphanFrames = 0;
  /** No content yet but frames: the paste starts inside a stack (frames later, outside a thread, are log noise). */
  private atStart = true;
  dump: ThreadDump | null = null;
  thread: JavaThread | null = null;
  mode: Mode = 'stack';
  pendingTimestamp: { text: string; line: number } | null = null;
  private pendingPid: number | null = null;
  pendingTool: string | null = null;
  deadlock: DeadlockReportReader | null = null;
  /** The stack read so far of the current thread (see FrameTable: a node of its stack trie). */
  private stack: StackNode;
  /** The stack of the virtual thread a carrier has mounted; its frames sit on top of the carrier's own. */
  private mounted: StackNode | null = null;
  private carrierLocks = 0;
  /** The lock a JMX header names (`BLOCKED on java.lang.Object@1b6d3586 owned by "x"`), added unless a line repeats it. */
  headerLock: { name: string; owner: string | null; line: number } | null = null;
  /** SA's state word (`Thread 123: (state = BLOCKED)`), turned into a state once the frames are read. */
  saStateWord: string | null = null;
  /**
   * One string for each state detail and lock class read (`parking`, `java.lang.Object`): most threads print one of
   * a few, and a thread keeps them.
   */
  private readonly words = new SharedStrings();
  constructor(
    private readonly lines: Lines,
    private readonly claims: Claims,
    private readonly input: number,
    private readonly frames: FrameTable,
  ) {
    this.stack = frames.root;
  }

  /** Adds a frame below the current one (of the mounted virtual thread, when the carrier has one). */
  private pushFrame(frame: Frame): void {
    if (this.mounted !== null) this.mounted = this.frames.push(this.mounted, frame);
    else this.stack = this.frames.push(this.stack, frame);
  }

  mountVirtualThread(): void {
    if (this.thread !== null) {
      this.mounted = this.frames.root;
      this.carrierLocks = this.thread.locks.length;
    }
  }

  /** Index of the last frame read, as a lock line refers to it (-1 before the first). */
  private lastFrame(): number {
    return (this.mounted ?? this.stack).depth - 1;
  }

  run(): HotspotResult {
    const { lines, claims } = this;
    let failed: HotspotResult['failed'] = null;
    let lastText = -1;
    let lastOfThread = -1;
    for (let i = 0; i < lines.length; i++) {
      if (claims[i] !== UNCLAIMED) continue;
      const raw = lines.at(i);
      // Trimmed by hand: most lines are frames, indented, and need no trimmed copy.
      let start = 0;
      while (start < raw.length && isSpace(raw.charCodeAt(start))) start++;
      if (start === raw.length) {
        if (this.mode === 'ownable' || this.mode === 'heap' || this.mode === 'smr') this.mode = 'stack';
        continue;
      }
      lastText = i;
      let consumed: number;
      try {
        consumed = this.fastFrame(raw, start);
        if (consumed < 0) consumed = this.line(raw.trim(), i);
      } catch (error) {
        // One line the parser cannot read (whatever it is) costs that line, never the rest of the paste.
        failed ??= { count: 0, line: i + 1, message: error instanceof Error ? error.message : String(error) };
        failed.count++;
        continue;
      }
      if (consumed === 0) this.atStart = false;
      if (consumed > 0) {
        for (let k = 0; k < consumed; k++) if (claims[i + k] === UNCLAIMED) claims[i + k] = THREAD_LINE;
        i += consumed - 1;
        if (this.thread !== null) lastOfThread = i;
      }
    }
    // The paste ends inside a thread that has neither a state nor a frame: its header (or state line) was cut off.
    const thread = this.thread;
    if (thread !== null && lastOfThread === lastText && thread.state === 'UNKNOWN' && this.stack.depth === 0 && this.mounted === null) thread.truncated = true;
    this.endThread();
    return { dumps: this.dumps, orphanFrames: this.orphanFrames, failed };
  }

  /**
   * The common case, read without cutting the line: `at <frame>` ending in `)`, inside a thread's stack. -1 when
   * the line is anything else, for line() to read.
   */
  private fastFrame(raw: string, start: number): number {
    const thread = this.thread;
    // `at `, by its characters: startsWith with a position is slow in V8.
    if (thread === null || this.mode === 'deadlock' || raw.charCodeAt(start) !== 97 || raw.charCodeAt(start + 1) !== 116 || raw.charCodeAt(start + 2) !== 32) return -1;
    const dump = this.dump;
    if (dump !== null && dump.format === 'jrockit') return -1;
    let from = start + 3;
    while (from < raw.length && isSpace(raw.charCodeAt(from))) from++;
    let end = raw.length;
    while (end > from && isSpace(raw.charCodeAt(end - 1))) end--;
    // Not ending in `)` (cut or wrapped), or ending in `)[...]`: line() handles those.
    if (raw.charCodeAt(end - 1) !== 41 /* ) */) return -1;
    const node = this.frames.below(this.mounted ?? this.stack, raw, from, end);
    if (this.mounted !== null) this.mounted = node;
    else this.stack = node;
    if (dump !== null && dump.jdk === null) {
      const text = (node.frame as Frame).text;
      if (text.includes('java.base@')) dump.jdk = jdkFromFrameText(text);
    }
    return 1;
  }

  /** Handles one trimmed line; returns how many lines it used (2 when it re-joined a wrapped line), 0 if not ours. */
  private line(t: string, i: number): number {
    const c = t.charCodeAt(0);
    if (c === 97 /* a */ && t.startsWith('at ')) return this.frameLine(t, i);
    if (c === 45 /* - */ || c === 94 /* ^ */) return this.dashLine(t, i);
    if (c === 34 /* " */) return this.headerLine(t, i);
    if (this.mode === 'smr') return this.noise(i);
    if (this.mode === 'heap' && this.lines.at(i).startsWith(' ')) return this.noise(i);
    if (this.mode === 'deadlock' && this.deadlockLine(t)) return 1;
    if (t.startsWith(STATE_PREFIX)) return this.stateLine(t);
    return otherLine(this, t, i);
  }

  private frameLine(t: string, i: number): number {
    const { text, used } = this.unwrap(t.slice(3).trim(), i);
    if (this.mode === 'deadlock') return used;
    const thread = this.thread;
    if (thread === null) {
      if (!this.atStart) return 0;
      this.orphanFrames++;
      return used;
    }
    const frame = this.frames.get(this.dump?.format === 'jrockit' ? jrockitFrame(text) : text.replace(/\)\[[\w ]+\]$/, ')'));
    this.pushFrame(frame);
    if (!frame.text.endsWith(')')) thread.truncated = true;
    const dump = this.dump;
    if (dump !== null && dump.jdk === null && text.includes('java.base@')) dump.jdk = jdkFromFrameText(text);
    return used;
  }

  /**
   * A terminal hard-wrapped a long line: `...ApplicationFilterCh` + `ain.java:193)`. The pieces that follow have no
   * spaces and the last one closes the parenthesis.
   */
  private unwrap(text: string, i: number): { text: string; used: number } {
    let joined = text;
    let used = 1;
    while (!joined.endsWith(')') && used < 4) {
      const next = this.lines.at(i + used).trim();
      if (next === undefined || next === '' || /\s/.test(next) || this.claims[i + used] !== UNCLAIMED) break;
      if (!next.endsWith(')') && !/^[\w.$/<>:@-]+$/.test(next)) break;
      joined += next;
      used++;
    }
    return joined.endsWith(')') ? { text: joined, used } : { text, used: 1 };
  }

  private dashLine(t: string, i: number): number {
    const sa = t.includes('@bci=') ? parseSaFrame(t) : null;
    if (sa !== null) {
      if (this.thread !== null && this.mode !== 'deadlock') {
        this.mode = 'stack';
        this.pushFrame(this.frames.make(sa.text, sa.frame));
      }
      return this.thread !== null || this.mode === 'deadlock' ? 1 : 0;
    }
    if (t.startsWith('--') || t.startsWith('^--')) return this.jrockitLockLine(t, i);
    if (this.mode === 'ownable') {
      const thread = this.thread;
      if (thread !== null && t !== '- None') {
        const address = ADDRESS.exec(t)?.[1] ?? IDENTITY.exec(t.replace(/^-\s+(?:locked\s+)?/, ''))?.[2];
        if (address !== undefined) thread.ownable.push(address);
      }
      return 1;
    }
    const unwrapped = t.includes('(a ') && !t.endsWith(')') ? this.unwrap(t, i) : { text: t, used: 1 };
    const m = LOCK_LINE.exec(unwrapped.text);
    if (!m) return 0;
    if (this.mode === 'deadlock' || this.thread === null) return unwrapped.used;
    const thread = this.thread;
    const rest = m[2];
    const dump = this.dump;
    if (dump !== null && dump.format === 'visualvm' && HASH_IN_BRACKETS.test(rest)) dump.format = 'actuator-text';
    // HotSpot: `<0x000000076ab62208> (a java.lang.Object)`; VisualVM and JMX: `java.lang.Object@1c9d0d3`.
    let address = ADDRESS.exec(rest)?.[1] ?? null;
    let className = LOCK_CLASS.exec(rest)?.[1] ?? null;
    if (address === null || className === null) {
      const identity = IDENTITY.exec(rest);
      address ??= identity?.[2] ?? null;
      className ??= identity?.[1] ?? null;
    }
    const owner = rest.includes('owned by') ? OWNED_BY.exec(rest)?.[1] : undefined;
    const lock: Lock = { kind: LOCK_VERBS[m[1]], address, className: className !== null ? this.words.get(className) : null, frame: this.lastFrame(), line: i + 1 };
    thread.locks.push(owner !== undefined ? { ...lock, ownerName: owner } : lock);
    return unwrapped.used;
  }

  private headerLine(t: string, i: number): number {
    const split = splitHeader(t);
    if (split === null) return 0;
    const { name, rest } = split;
    if (rest.trim() === ':') return this.deadlockThreadName(name);
    if (this.mode === 'chains') return 1;
    if (!HEADER_ATTRIBUTE.test(rest)) return 0;
    let header = rest;
    let used = 1;
    // A terminal wrapped the header before its stack address: `... waiting on condition` + `[0x00007f...]`.
    if (/[\w=.]$/.test(rest)) {
      const next = this.lines.at(i + 1).trim();
      if (WRAPPED_HEADER_TAIL.test(next)) {
        header = rest + next;
        used = 2;
      }
    }
    if (this.mode === 'deadlock') {
      // A real header after a deadlock section: the next dump of the paste, printed without its banner.
      this.closeDump();
    }
    this.startThread(name, header, i + 1);
    return used;
  }

  startThread(name: string, header: string, line: number): void {
    this.endThread();
    this.atStart = false;
    const dump = this.currentDump(line);
    const thread = newThread(this.input, line, name);
    dump.threads.push(thread);
    this.thread = thread;
    this.mode = 'stack';
    if (this.otherHeader(thread, dump, header)) return;
    if (readHotspotHeader(thread, header) && dump.format === 'hotspot') dump.format = 'visualvm';
  }

  /** JRockit and JMX headers; true when the header was one of them. */
  private otherHeader(thread: JavaThread, dump: ThreadDump, header: string): boolean {
    const jrockit = parseJrockitHeader(header);
    if (jrockit !== null) {
      dump.format = 'jrockit';
      Object.assign(thread, { number: jrockit.number, tid: jrockit.tid, priority: jrockit.priority, daemon: jrockit.daemon, state: jrockit.state });
      thread.stateDetail = jrockit.words || null;
      return true;
    }
    const jmx = parseJmxHeader(header);
    if (jmx === null) return false;
    if (dump.format === 'hotspot') dump.format = 'jmx';
    Object.assign(thread, { number: jmx.number, daemon: jmx.daemon, priority: jmx.priority, state: jmx.state, stateDetail: jmx.detail });
    if (jmx.lockName !== null) this.headerLock = { name: jmx.lockName, owner: jmx.ownerName, line: thread.line };
    return true;
  }

  endThread(): void {
    const thread = this.thread;
    const mounted = this.mounted;
    if (thread !== null) {
      const own = this.frames.framesOf(this.stack);
      if (mounted === null) thread.frames = own;
      else {
        // The stack of a carrier is the mounted virtual thread's frames on top of the carrier's own.
        const depth = mounted.depth;
        thread.frames = this.frames.stack(this.frames.framesOf(mounted).concat(own));
        thread.locks = thread.locks.map((lock, k) => (k < this.carrierLocks ? { ...lock, frame: lock.frame + depth } : lock));
      }
    }
    // JDK 21+ carriers print no state line; a carrier running a virtual thread is running.
    if (thread !== null && thread.carrying !== null && thread.state === 'UNKNOWN') thread.state = 'RUNNABLE';
    if (thread !== null) {
      this.finishThread(thread);
      settleArrays(thread);
    }
    this.thread = null;
    this.stack = this.frames.root;
    this.mounted = null;
    this.carrierLocks = 0;
  }

  /** What only the whole stack tells: SA states, and the JMX header's lock unless a lock line named it. */
  private finishThread(thread: JavaThread): void {
    if (this.saStateWord !== null) thread.state = saState(this.saStateWord, thread.frames);
    this.saStateWord = null;
    const pending = this.headerLock;
    this.headerLock = null;
    if (this.dump?.format === 'jmx') settleJmxLocks(thread, pending);
  }

  private jrockitLockLine(t: string, i: number): number {
    const lock = parseJrockitLock(t);
    if (lock === undefined) return 0;
    const thread = this.thread;
    if (lock !== null && thread !== null) thread.locks.push({ ...lock, frame: this.stack.depth - 1, line: i + 1 });
    return 1;
  }

  /** `java.lang.Thread.State: WAITING (parking)`, read by scanning. */
  private stateLine(t: string): number {
    const thread = this.thread;
    if (thread === null) return 1;
    let from = STATE_PREFIX.length;
    while (from < t.length && isSpace(t.charCodeAt(from))) from++;
    let end = from;
    while (end < t.length && isWordLetter(t.charCodeAt(end))) end++;
    const rest = t.slice(end);
    // Nothing to read without a state word, or across a Unicode line separator (one line is one line).
    if (end === from || /[\u2028\u2029]/.test(rest)) return 1;
    thread.state = toThreadState(t.slice(from, end));
    const detail = rest.trim();
    const words = detail.startsWith('(') && detail.endsWith(')') && detail.length >= 2 ? detail.slice(1, -1) : detail;
    thread.stateDetail = words !== '' ? this.words.get(words) : null;
    // VisualVM names the monitor on the state line: `BLOCKED on java.lang.Object@1c9d0d3 owned by: Thread-1`.
    const on = /^on\s+(\S+)@([0-9a-fA-F]+)(.*)$/.exec(detail);
    if (on) {
      const owner = OWNED_BY.exec(on[3])?.[1];
      const kind: LockKind = owner === undefined ? 'waiting-on' : thread.state === 'BLOCKED' ? 'waiting-to-lock' : 'parking';
      thread.locks.push({ kind, address: on[2], className: on[1], frame: -1, line: thread.line + 1, ...(owner ? { ownerName: owner } : {}) });
    }
    return 1;
  }


  /** `$ jstack 27836` or jcmd's `27836:` line: a new dump of that process follows. */
  newProcess(pid: number, tool: string | null): void {
    this.endThread();
    if (this.dump !== null && this.dump.threads.length > 0) this.closeDump();
    this.pendingPid = pid;
    this.pendingTool = tool ?? this.pendingTool;
    if (this.dump !== null) {
      this.dump.pid = pid;
      this.dump.tool = this.pendingTool;
    }
  }

  private deadlockThreadName(name: string): number {
    if (this.mode === 'deadlock') this.deadlock?.threadName(name);
    return 1;
  }

  private deadlockLine(t: string): boolean {
    const read = this.deadlock?.line(t) ?? null;
    if (read === 'end') {
      this.mode = 'stack';
      this.deadlock = null;
    }
    return read !== null;
  }

  noise(i: number): number {
    this.claims[i] = NOISE_LINE;
    return 1;
  }

  currentDump(line: number): ThreadDump {
    if (this.dump === null) {
      const dump = newDump(this.input, this.pendingTimestamp?.line ?? line, 'hotspot');
      dump.timestamp = this.pendingTimestamp?.text ?? null;
      dump.pid = this.pendingPid;
      dump.tool = this.pendingTool;
      this.pendingTimestamp = null;
      this.dumps.push(dump);
      this.dump = dump;
    }
    return this.dump;
  }

  closeDump(): void {
    this.endThread();
    this.dump = null;
    this.pendingPid = null;
    this.pendingTool = null;
    this.mode = 'stack';
  }
}
