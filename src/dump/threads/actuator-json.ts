// Spring Boot Actuator's `/actuator/threaddump` as JSON: `{"threads":[...]}`, each thread a serialised
// java.lang.management.ThreadInfo (threadName, threadId, threadState, stackTrace[], lockedMonitors[],
// lockedSynchronizers[], lockInfo, lockOwnerName). Minified or pretty-printed; a body cut short keeps the threads
// that are complete.
import type { JavaThread, Lock, ThreadDump } from '../model';
import { THREAD_LINE, UNCLAIMED, type Claims } from '../claims';
import type { Lines } from '../text';
import type { FrameTable } from './frame';
import { newDump, newThread, toThreadState } from './builder';

export function looksLikeActuatorJson(text: string): boolean {
  const head = text.slice(0, 4000);
  return /^\s*\{\s*"threads"\s*:\s*\[/.test(head) && head.includes('"threadName"');
}

type Json = Record<string, unknown>;

export function parseActuatorJson(text: string, lines: Lines, claims: Claims, input: number, frames: FrameTable): ThreadDump[] {
  const dump = newDump(input, 1, 'actuator-json');
  const lineOf = threadLines(lines);
  const items = threadObjects(text);
  items.objects.forEach((raw, k) => dump.threads.push(toThread(raw, input, lineOf[k] ?? 1, frames)));
  const last = dump.threads[dump.threads.length - 1];
  if (items.cut && last !== undefined) last.truncated = true;
  for (let i = 0; i < lines.length; i++) if (claims[i] === UNCLAIMED && lines.at(i).trim() !== '') claims[i] = THREAD_LINE;
  return dump.threads.length > 0 ? [dump] : [];
}

/** The elements of the `threads` array that parse; a body cut off inside one keeps those before it. */
function threadObjects(text: string): { objects: Json[]; cut: boolean } {
  try {
    const root: unknown = JSON.parse(text);
    const threads = isObject(root) && Array.isArray(root.threads) ? root.threads : [];
    return { objects: threads.filter(isObject), cut: false };
  } catch {
    const start = text.indexOf('[', text.indexOf('"threads"'));
    const objects: Json[] = [];
    for (const slice of topLevelObjects(text, start + 1)) {
      try {
        const value: unknown = JSON.parse(slice);
        if (isObject(value)) objects.push(value);
      } catch {
        break;
      }
    }
    return { objects, cut: true };
  }
}

/** `{...}` spans at the top level of an array starting at `from`, found by counting braces outside strings. */
function* topLevelObjects(text: string, from: number): Generator<string> {
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}') {
      if (--depth === 0) yield text.slice(start, i + 1);
    } else if (c === ']' && depth === 0) return;
  }
}

function toThread(raw: Json, input: number, line: number, frames: FrameTable): JavaThread {
  const thread = newThread(input, line, typeof raw.threadName === 'string' ? raw.threadName : '');
  if (typeof raw.threadId === 'number') thread.number = raw.threadId;
  if (typeof raw.threadState === 'string') thread.state = toThreadState(raw.threadState);
  if (typeof raw.priority === 'number') thread.priority = raw.priority;
  thread.daemon = raw.daemon === true;
  if (raw.inNative === true) thread.stateDetail = 'in native';
  const stack = Array.isArray(raw.stackTrace) ? raw.stackTrace.filter(isObject) : [];
  for (const element of stack) thread.frames.push(frames.get(frameText(element)));
  thread.locks = locksOf(raw, line, thread);
  if (Array.isArray(raw.lockedSynchronizers)) {
    for (const sync of raw.lockedSynchronizers) if (isObject(sync) && typeof sync.identityHashCode === 'number') thread.ownable.push(hex(sync.identityHashCode));
  }
  return thread;
}

/** StackTraceElement.toString() without the class loader and module: `com.x.Y.run(Y.java:12)`. */
function frameText(e: Json): string {
  const where = e.nativeMethod === true ? 'Native Method' : typeof e.fileName === 'string' ? (typeof e.lineNumber === 'number' && e.lineNumber >= 0 ? `${e.fileName}:${e.lineNumber}` : e.fileName) : 'Unknown Source';
  return `${String(e.className ?? '')}.${String(e.methodName ?? '')}(${where})`;
}

function locksOf(raw: Json, line: number, thread: JavaThread): Lock[] {
  const locks: Lock[] = [];
  const lockInfo = isObject(raw.lockInfo) ? raw.lockInfo : null;
  if (lockInfo !== null && typeof lockInfo.identityHashCode === 'number') {
    const top = thread.frames[0];
    const inWait = top !== undefined && top.class === 'java.lang.Object' && top.method.startsWith('wait');
    const kind = thread.state === 'BLOCKED' ? 'waiting-to-lock' : inWait ? 'waiting-on' : 'parking';
    const owner = typeof raw.lockOwnerName === 'string' ? { ownerName: raw.lockOwnerName } : {};
    locks.push({ kind, address: hex(lockInfo.identityHashCode), className: typeof lockInfo.className === 'string' ? lockInfo.className : null, frame: 0, line, ...owner });
  }
  if (Array.isArray(raw.lockedMonitors)) {
    for (const m of raw.lockedMonitors) {
      if (!isObject(m) || typeof m.identityHashCode !== 'number') continue;
      const depth = typeof m.lockedStackDepth === 'number' ? m.lockedStackDepth : -1;
      locks.push({ kind: 'locked', address: hex(m.identityHashCode), className: typeof m.className === 'string' ? m.className : null, frame: depth, line });
    }
  }
  return locks;
}

function threadLines(lines: Lines): number[] {
  const found: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const matches = lines.at(i).match(/"threadName"\s*:/g);
    for (let k = 0; k < (matches?.length ?? 0); k++) found.push(i + 1);
  }
  return found;
}

function hex(n: number): string {
  return (n >>> 0).toString(16);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
