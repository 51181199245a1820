// HotSpot-style text thread dumps: jstack, jstack -l, kill -3, jcmd Thread.print (JDK 6 to 25), VisualVM's
// `"x" - Thread t@N` form (and Spring Boot Actuator's text/plain dump, which copies it), SAP JVM logs, and the
// relatives that share its line shapes: JMX ThreadInfo text (jmx.ts), JRockit (jrockit.ts), `jstack -F` and
// `jhsdb jstack` (sa.ts). Reads line by line and keeps whatever it understands; prompts, `...`, log lines and other
// sections around the dumps are left for the other parsers or reported as unparsed.
import type { Frame, JavaThread, Lock, LockKind, ThreadDump } from '../model';
import { NOISE_LINE, THREAD_LINE, UNCLAIMED, type Claims } from '../claims';
import type { Lines } from '../text';
import { parsePrompt } from '../prompt';
import type { FrameTable, StackNode } from './frame';
import { newDump, newThread, toThreadState } from './builder';
import { isDigit, isSpace, readHotspotHeader, splitHeader } from './header';
import { DeadlockReportReader } from './deadlock-report';
import { SharedStrings } from '../shared-strings';
import { jdkFromFrameText, jdkFromVmBanner } from './jdk-version';
import { isJmxSynchronizersLine, jmxOwnerLine, parseJmxHeader, settleJmxLocks } from './jmx';
import { JROCKIT_BANNER, JROCKIT_CHAINS, JROCKIT_END, JROCKIT_START, jdkFromJrockitBanner, jrockitFrame, parseJrockitHeader, parseJrockitLock } from './jrockit';
import { parseSaFrame, SA_ATTACH, SA_NOISE, SA_THREAD, SA_VERSION, saState } from './sa';

const HEADER_ATTRIBUTE = /(?:^|\s)(?:#\d|daemon\b|prio=|os_prio=|tid=|nid=|cpu=|[Ii]d=\d)|^\s*-\s+Thread\s+t@\d/;
const STATE_PREFIX = 'java.lang.Thread.State:';
const LOCK_LINE = /^-\s+(locked|waiting on|waiting to lock|blocked on|parking to wait for|eliminated|waiting to re-lock in wait\(\))\s*(.*)$/;
const ADDRESS = /<(0x[0-9a-fA-F]+|[0-9a-fA-F]+)>/;
const LOCK_CLASS = /\(a ([^)\s]+)\)/;
const IDENTITY = /^([^\s@<(]+)@([0-9a-fA-F]+)/;
const OWNED_BY = /owned by:?\s+"?([^"]+?)"?(?:\s+t@\d+)?\s*$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?$/;
const SAP_TIMESTAMP = /^Java thread dump\s*:\s*(.+)$/;
const JCMD_PID = /^(\d+):$/;
// A header whose quoted name is missing (seen in real JDK 25 dumps): still a thread, with ids and state words.
const NAMELESS_HEADER = /^(?:#\d+\s+)?(?:\[\d+\]\s+)?(?:daemon\s+)?(?:prio=\d+\s+)?os_prio=-?\d+\s.*\btid=0x[0-9a-fA-F]+\s+nid=\S+/;
const WRAPPED_HEADER_TAIL = /^[\w ().]*\[0x[0-9a-fA-F.]+\]$/;
// JRockit's date line below its banner: `Mon Jan 10 10:00:00 2011`.
const DATE_LINE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d(?: [A-Z]{2,5})? \d{4}$/;
// Spring Boot Actuator's text dump prints locks as `<1b6d3586> (a java.lang.Object)`; VisualVM as `Class@hash`.
const HASH_IN_BRACKETS = /^<[0-9a-f]+> \(a /;
const LOCK_VERBS: Record<string, LockKind> = {
  locked: 'locked',
  'waiting on': 'waiting-on',
  'waiting to lock': 'waiting-to-lock',
  'blocked on': 'waiting-to-lock',
  'parking to wait for': 'parking',
  eliminated: 'eliminated',
  'waiting to re-lock in wait()': 'waiting-to-relock',
};

type Mode = 'stack' | 'ownable' | 'deadlock' | 'heap' | 'smr' | 'chains';

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

/** `[A-Za-z_]`: the letters of a state word. */
function isWordLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * `ESTAB 0 0 10.0.0.5:8080 ...` or `tcp 0 0 ...`: a word of three or more letters, digits, `-` or `_`, then two
 * numbers, each after blanks and followed by one. No line otherLine reads starts so (thread and dump lines have a
 * quote, `#`, `=`, a digit, a colon, a `@` or words where the numbers are; `Thread 12: (state` and `Found 2
 * deadlocks.` fail at the second number), so a listing's 100,000 rows skip its checks. Mind this when otherLine
 * learns a line.
 */
function isListingRow(t: string): boolean {
  const c = t.charCodeAt(0);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  let k = 1;
  while (k < t.length && isRowWordChar(t.charCodeAt(k))) k++;
  if (k < 3) return false;
  for (let n = 0; n < 2; n++) {
    const blanks = k;
    while (k < t.length && isSpace(t.charCodeAt(k))) k++;
    const digits = k;
    while (k < t.length && isDigit(t.charCodeAt(k))) k++;
    if (digits === blanks || k === digits || k === t.length || !isSpace(t.charCodeAt(k))) return false;
  }
  return true;
}

/** `[A-Za-z0-9_-]` */
function isRowWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

class HotspotParser {
  private readonly dumps: ThreadDump[] = [];
  private orphanFrames = 0;
  /** No content yet but frames: the paste starts inside a stack (frames later, outside a thread, are log noise). */
  private atStart = true;
  private dump: ThreadDump | null = null;
  private thread: JavaThread | null = null;
  private mode: Mode = 'stack';
  private pendingTimestamp: { text: string; line: number } | null = null;
  private pendingPid: number | null = null;
  private pendingTool: string | null = null;
  private deadlock: DeadlockReportReader | null = null;
  /** The stack read so far of the current thread (see FrameTable: a node of its stack trie). */
  private stack: StackNode;
  /** The stack of the virtual thread a carrier has mounted; its frames sit on top of the carrier's own. */
  private mounted: StackNode | null = null;
  private carrierLocks = 0;
  /** The lock a JMX header names (`BLOCKED on java.lang.Object@1b6d3586 owned by "x"`), added unless a line repeats it. */
  private headerLock: { name: string; owner: string | null; line: number } | null = null;
  /** SA's state word (`Thread 123: (state = BLOCKED)`), turned into a state once the frames are read. */
  private saStateWord: string | null = null;
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
    return this.otherLine(t, i);
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

  private startThread(name: string, header: string, line: number): void {
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

  private endThread(): void {
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

  private otherLine(t: string, i: number): number {
    // A socket listing's row, the most common line of a paste beside a dump: none of the lines below has its shape.
    if (isListingRow(t)) return 0;
    // The most common line here, and one no relative of HotSpot prints.
    if (t.startsWith('Locked ownable synchronizers:')) {
      this.mode = 'ownable';
      return 1;
    }
    const other = this.relativesLine(t, i);
    if (other > 0) return other;
    if (t.startsWith('Full thread dump')) {
      this.endThread();
      if (this.dump !== null && (this.dump.threads.length > 0 || this.dump.jvm !== null)) this.closeDump();
      const dump = this.currentDump(i + 1);
      dump.jvm = t.replace(/^Full thread dump\s*/, '').replace(/:\s*$/, '');
      dump.jdk = jdkFromVmBanner(dump.jvm);
      if (/\bSAP\b/.test(dump.jvm)) dump.format = 'sap';
      this.mode = 'stack';
      return 1;
    }
    if (TIMESTAMP.test(t) || SAP_TIMESTAMP.test(t)) {
      this.endThread();
      if (this.dump !== null && this.dump.threads.length > 0) this.closeDump();
      this.pendingTimestamp = { text: SAP_TIMESTAMP.exec(t)?.[1].trim() ?? t, line: i + 1 };
      return 1;
    }
    if (NAMELESS_HEADER.test(t)) {
      if (this.mode === 'deadlock') this.closeDump();
      this.startThread('', t, i + 1);
      return 1;
    }
    if (t.startsWith('Carrying virtual thread')) {
      if (this.thread !== null) this.thread.carrying = /#(\d+)/.exec(t)?.[1] ?? null;
      return 1;
    }
    if (t.startsWith('Mounted virtual thread')) {
      if (this.thread !== null) {
        this.mounted = this.frames.root;
        this.carrierLocks = this.thread.locks.length;
      }
      return 1;
    }
    if (t.startsWith('Found one Java-level deadlock')) {
      this.endThread();
      const report = { line: i + 1, entries: [] };
      this.currentDump(i + 1).deadlocks.push(report);
      this.deadlock = new DeadlockReportReader(report);
      this.mode = 'deadlock';
      return 1;
    }
    if (t === '...' || t === '…' || t.startsWith('...')) {
      if (this.thread !== null) this.thread.truncated = true;
      return this.noise(i);
    }
    if (t === 'Heap') {
      this.endThread();
      this.mode = 'heap';
      return this.noise(i);
    }
    if (t.startsWith('Threads class SMR info')) {
      this.mode = 'smr';
      return this.noise(i);
    }
    const pid = JCMD_PID.exec(t);
    if (pid) {
      this.newProcess(Number(pid[1]), 'jcmd Thread.print');
      return this.noise(i);
    }
    if (/^(?:JNI global ref|Found \d+ deadlocks?\.|Found a total of \d+ deadlock)/.test(t)) {
      // The end of a dump: frames after it belong to log lines, not to the last thread.
      this.endThread();
      return this.noise(i);
    }
    if (/^(?:No compile task|Compiling:|=+$)/.test(t)) return this.noise(i);
    const prompt = parsePrompt(t);
    if (prompt !== null && prompt.dumpPid !== null) {
      this.newProcess(prompt.dumpPid, prompt.dumpTool);
      return this.noise(i);
    }
    return 0;
  }

  /** Lines of JRockit, JMX text and the Serviceability Agent that HotSpot never prints. */
  private relativesLine(t: string, i: number): number {
    const saThread = SA_THREAD.exec(t);
    if (saThread) {
      if (this.dump === null || this.dump.format === 'hotspot') this.currentDump(i + 1).format = 'sa';
      this.startThread(`Thread ${saThread[1]}`, '', i + 1);
      if (this.thread !== null) {
        this.thread.nid = saThread[1];
        this.thread.stateDetail = saThread[2];
      }
      this.saStateWord = saThread[2];
      return 1;
    }
    const attach = SA_ATTACH.exec(t);
    if (attach) {
      this.newProcess(Number(attach[1]), this.pendingTool ?? 'jhsdb jstack');
      this.currentDump(i + 1).format = 'sa';
      return this.noise(i);
    }
    const version = SA_VERSION.exec(t);
    if (version && this.dump?.format === 'sa') {
      this.dump.jvm = `HotSpot ${version[1]}`;
      this.dump.jdk = jdkFromVmBanner(`(${version[1]})`);
      return this.noise(i);
    }
    if (SA_NOISE.test(t)) return this.noise(i);
    if (t === 'Error occurred during stack walking:') {
      // SA gave up on this stack and prints its own exception: those frames are not the thread's.
      if (this.thread !== null) this.thread.truncated = true;
      this.endThread();
      return 0;
    }
    if (JROCKIT_START.test(t)) {
      this.endThread();
      if (this.dump !== null && this.dump.threads.length > 0) this.closeDump();
      this.currentDump(i + 1).format = 'jrockit';
      return this.noise(i);
    }
    if (JROCKIT_END.test(t)) {
      this.closeDump();
      return this.noise(i);
    }
    const dump = this.dump;
    if (dump !== null && dump.format === 'jrockit' && dump.threads.length === 0) {
      if (JROCKIT_BANNER.test(t)) {
        dump.jvm = t;
        dump.jdk = jdkFromJrockitBanner(t);
        return this.noise(i);
      }
      if (DATE_LINE.test(t) && dump.timestamp === null) {
        dump.timestamp = t;
        return this.noise(i);
      }
    }
    if (JROCKIT_CHAINS.test(t) || (this.mode === 'chains' && /^Chain \d+:$/.test(t))) {
      this.endThread();
      this.mode = 'chains';
      return this.noise(i);
    }
    if (isJmxSynchronizersLine(t)) {
      this.mode = 'ownable';
      return 1;
    }
    const owner = jmxOwnerLine(t);
    if (owner !== null && this.headerLock !== null) {
      this.headerLock.owner = owner;
      return 1;
    }
    return 0;
  }

  /** `$ jstack 27836` or jcmd's `27836:` line: a new dump of that process follows. */
  private newProcess(pid: number, tool: string | null): void {
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

  private noise(i: number): number {
    this.claims[i] = NOISE_LINE;
    return 1;
  }

  private currentDump(line: number): ThreadDump {
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

  private closeDump(): void {
    this.endThread();
    this.dump = null;
    this.pendingPid = null;
    this.pendingTool = null;
    this.mode = 'stack';
  }
}
