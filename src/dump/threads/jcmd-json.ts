// `jcmd <pid> Thread.dump_to_file -format=json` (JDK 21+): threads grouped by thread container, each with its stack
// as StackTraceElement strings. JDK 24+ add state, locks and carrier fields, read when present. A cut-off file (the
// paste ended early) is read line by line instead of failing.
import type { JavaThread, Lock, ThreadDump } from '../model';
import { NOISE_LINE, THREAD_LINE, UNCLAIMED, type Claims } from '../claims';
import type { Lines } from '../text';
import type { FrameTable } from './frame';
import { newDump, newThread, toThreadState } from './builder';
import { jdkFromVmBanner } from './jdk-version';

export function looksLikeJcmdJson(text: string): boolean {
  const head = text.slice(0, 2000);
  return /^\s*\{/.test(head) && head.includes('"threadDump"');
}

interface JsonThread {
  tid?: unknown;
  name?: unknown;
  state?: unknown;
  virtual?: unknown;
  carrier?: unknown;
  stack?: unknown;
  blockedOn?: unknown;
  waitingOn?: unknown;
  parkBlocker?: unknown;
  monitorsOwned?: unknown;
}

export function parseJcmdJson(text: string, lines: Lines, claims: Claims, input: number, frames: FrameTable): ThreadDump[] {
  const dump = newDump(input, 1, 'jcmd-json');
  const threadLines = lineNumbersOf(lines, /^\s*"tid"\s*:/);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    root = undefined;
  }
  const body = isObject(root) && isObject(root.threadDump) ? root.threadDump : undefined;
  if (body !== undefined) {
    readHeader(dump, body);
    const containers = Array.isArray(body.threadContainers) ? body.threadContainers : [];
    for (const container of containers) {
      const threads = isObject(container) && Array.isArray(container.threads) ? container.threads : [];
      for (const raw of threads) {
        if (isObject(raw)) dump.threads.push(toThread(raw, input, threadLines[dump.threads.length] ?? 1, frames));
      }
    }
    for (let i = 0; i < lines.length; i++) if (claims[i] === UNCLAIMED) claims[i] = lines.at(i).trim() === '' ? UNCLAIMED : THREAD_LINE;
  } else {
    scanLines(dump, lines, claims, input, frames);
  }
  return dump.threads.length > 0 || dump.pid !== null ? [dump] : [];
}

function readHeader(dump: ThreadDump, body: Record<string, unknown>): void {
  if (typeof body.processId === 'string' || typeof body.processId === 'number') dump.pid = Number(body.processId) || null;
  if (typeof body.time === 'string') dump.timestamp = body.time;
  if (typeof body.runtimeVersion === 'string') {
    dump.jvm = body.runtimeVersion;
    dump.jdk = jdkFromVmBanner(`(${body.runtimeVersion})`);
  }
}

function toThread(raw: JsonThread, input: number, line: number, frames: FrameTable): JavaThread {
  const thread = newThread(input, line, typeof raw.name === 'string' ? raw.name : '');
  if (typeof raw.tid === 'string' || typeof raw.tid === 'number') {
    thread.tid = String(raw.tid);
    thread.number = Number(raw.tid) || null;
  }
  if (typeof raw.state === 'string') thread.state = toThreadState(raw.state);
  const stack = Array.isArray(raw.stack) ? raw.stack : [];
  for (const entry of stack) if (typeof entry === 'string') thread.frames.push(frames.get(entry));
  thread.locks = jsonLocks(raw, line);
  return thread;
}

// JDK 24+: `blockedOn`/`waitingOn` name a monitor as `Class@hash`, `parkBlocker.object` a j.u.c lock, and
// `monitorsOwned` lists the monitors held at each stack depth.
function jsonLocks(raw: JsonThread, line: number): Lock[] {
  const locks: Lock[] = [];
  const add = (kind: Lock['kind'], identity: unknown, frame: number): void => {
    if (typeof identity !== 'string') return;
    const at = identity.lastIndexOf('@');
    locks.push({ kind, address: at > 0 ? identity.slice(at + 1) : identity, className: at > 0 ? identity.slice(0, at) : null, frame, line });
  };
  add('waiting-to-lock', raw.blockedOn, 0);
  add('waiting-on', raw.waitingOn, 0);
  if (isObject(raw.parkBlocker)) add('parking', raw.parkBlocker.object, 0);
  if (Array.isArray(raw.monitorsOwned)) {
    for (const owned of raw.monitorsOwned) {
      if (!isObject(owned) || !Array.isArray(owned.locks)) continue;
      const depth = typeof owned.depth === 'number' ? owned.depth : 0;
      for (const identity of owned.locks) add('locked', identity, depth);
    }
  }
  return locks;
}

const JSON_STRUCTURE = /^\s*(?:[{}[\]],?|"[\w]+"\s*:.*|"[^"\\]*(?:\\.[^"\\]*)*",?)\s*$/;

/** The paste is not valid JSON (cut short, or mixed with other text): take the pretty-printed lines one by one. */
function scanLines(dump: ThreadDump, lines: Lines, claims: Claims, input: number, frames: FrameTable): void {
  let thread: JavaThread | null = null;
  let inStack = false;
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    if (claims[i] !== UNCLAIMED || !JSON_STRUCTURE.test(lines.at(i))) continue;
    claims[i] = THREAD_LINE;
    const t = lines.at(i).trim();
    if (/^[}\]]/.test(t)) depth--;
    if (/[{[]$/.test(t)) depth++;
    const field = /^"(\w+)"\s*:\s*(.*?),?$/.exec(t);
    if (field !== null) {
      const [, key, value] = field;
      inStack = key === 'stack' && value.startsWith('[') && !value.endsWith(']');
      const text = stringValue(value);
      if (key === 'tid') {
        thread = newThread(input, i + 1, '');
        thread.tid = text;
        thread.number = Number(text) || null;
        dump.threads.push(thread);
      } else if (key === 'name' && thread !== null && text !== null) thread.name = text;
      else if (key === 'state' && thread !== null && text !== null) thread.state = toThreadState(text);
      else if (key === 'processId' && text !== null) dump.pid = Number(text) || null;
      else if (key === 'time' && text !== null && dump.timestamp === null) dump.timestamp = text;
      else if (key === 'runtimeVersion' && text !== null) {
        dump.jvm = text;
        dump.jdk = jdkFromVmBanner(`(${text})`);
      } else claims[i] = NOISE_LINE;
      continue;
    }
    if (inStack && thread !== null && t.startsWith('"')) {
      const text = stringValue(t.replace(/,$/, ''));
      if (text !== null) thread.frames.push(frames.get(text));
    } else {
      if (t.startsWith(']')) inStack = false;
      claims[i] = NOISE_LINE;
    }
  }
  // Unbalanced braces: the file was cut inside the last thread.
  const last = dump.threads[dump.threads.length - 1];
  if (depth > 0 && last !== undefined) last.truncated = true;
}

function stringValue(token: string): string | null {
  if (!token.startsWith('"')) return /^-?\d+$/.test(token) ? token : null;
  try {
    const value: unknown = JSON.parse(token);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function lineNumbersOf(lines: Lines, pattern: RegExp): number[] {
  const found: number[] = [];
  for (let i = 0; i < lines.length; i++) if (pattern.test(lines.at(i))) found.push(i + 1);
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
