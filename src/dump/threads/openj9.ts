// OpenJ9 / IBM `javacore` files: the THREADS section (3XMTHREADINFO headers, 4XESTACKTRACE frames) and the LOCKS
// section's deadlock report. Every javacore line starts with a tag, so unrelated sections are recognised and skipped.
import type { DeadlockEntry, JavaThread, ReportedDeadlock, ThreadDump, ThreadState } from '../model';
import { NOISE_LINE, THREAD_LINE, UNCLAIMED, type Claims } from '../claims';
import type { Lines } from '../text';
import type { FrameTable } from './frame';
import { newDump, newThread } from './builder';

const TAG = /^\s*(\d[A-Z][A-Z0-9]+|NULL)\b\s*(.*)$/;
const J9_STATES: Record<string, ThreadState> = { R: 'RUNNABLE', CW: 'WAITING', P: 'WAITING', B: 'BLOCKED', S: 'WAITING', Z: 'TERMINATED' };

export function looksLikeJavacore(text: string): boolean {
  return /^\s*(?:0SECTION|1TISIGINFO|3XMTHREADINFO|1LKDEADLOCK)\b/m.test(text.slice(0, 200000));
}

export function parseJavacore(lines: Lines, claims: Claims, input: number, frames: FrameTable): ThreadDump[] {
  const dump = newDump(input, 1, 'openj9');
  let thread: JavaThread | null = null;
  let deadlock: ReportedDeadlock | null = null;
  let entry: DeadlockEntry | null = null;
  let ownerFollows = false;
  let seen = false;
  for (let i = 0; i < lines.length; i++) {
    if (claims[i] !== UNCLAIMED) continue;
    const m = TAG.exec(lines.at(i));
    if (!m) continue;
    seen = true;
    const [, tag, body] = m;
    claims[i] = THREAD_LINE;
    switch (tag) {
      case '1TIDATETIME':
        dump.timestamp = body.replace(/^Date:\s*/, '').replace(' at ', ' ');
        break;
      case '1CIJAVAVERSION': {
        dump.jvm = body;
        const version = /JRE (?:1\.)?(\d+)/.exec(body);
        if (version) dump.jdk = Number(version[1]);
        break;
      }
      case '1CIPROCESSID': {
        const pid = /Process ID:\s*(\d+)/.exec(body);
        if (pid) dump.pid = Number(pid[1]);
        break;
      }
      case '1LKDEADLOCK':
        deadlock = { line: i + 1, entries: [] };
        dump.deadlocks.push(deadlock);
        entry = null;
        break;
      case '2LKDEADLOCKTHR': {
        const name = /Thread "(.*)"/.exec(body)?.[1] ?? null;
        if (deadlock === null || name === null) break;
        if (ownerFollows && entry !== null) entry.heldBy = name;
        ownerFollows = false;
        // The report walks the cycle and names its first thread again at the end.
        if (!deadlock.entries.some((e) => e.thread === name)) {
          entry = { thread: name, waitsFor: null, heldBy: null };
          deadlock.entries.push(entry);
        }
        break;
      }
      case '4LKDEADLOCKOBJ':
        if (entry !== null) entry.waitsFor = /@(0x[0-9a-fA-F]+)/.exec(body)?.[1] ?? null;
        break;
      case '3LKDEADLOCKOWN':
        ownerFollows = true;
        break;
      case '3XMTHREADINFO': {
        const header = /^"(.*)"\s+J9VMThread:\S+,.*?state:(\w+)(?:,\s*prio=(\d+))?/.exec(body);
        thread = null;
        if (header === null) break;
        thread = newThread(input, i + 1, header[1]);
        thread.state = J9_STATES[header[2]] ?? 'UNKNOWN';
        thread.stateDetail = header[2];
        if (header[3] !== undefined) thread.priority = Number(header[3]);
        dump.threads.push(thread);
        break;
      }
      case '3XMJAVALTHREAD':
        if (thread !== null) {
          const id = /getId:(0x[0-9a-fA-F]+|\d+)/.exec(body)?.[1];
          if (id !== undefined) thread.number = Number(id);
          thread.daemon = /isDaemon:true/.test(body);
        }
        break;
      case '3XMTHREADINFO1':
        if (thread !== null) thread.nid = /native thread ID:(0x[0-9a-fA-F]+)/.exec(body)?.[1] ?? null;
        break;
      case '3XMTHREADBLOCK':
        if (thread !== null) {
          const block = /^(Blocked on|Waiting on|Parked on):\s*(\S+?)@(0x[0-9a-fA-F]+)(?:\s+Owned by:\s*"(.*?)")?/.exec(body);
          if (block) {
            const kind = block[1] === 'Blocked on' ? 'waiting-to-lock' : block[1] === 'Parked on' ? 'parking' : 'waiting-on';
            thread.locks.push({ kind, address: block[3], className: block[2].replace(/\//g, '.'), frame: -1, line: i + 1, ...(block[4] ? { ownerName: block[4] } : {}) });
          }
        }
        break;
      case '4XESTACKTRACE':
        if (thread !== null) {
          const at = /^at\s+(.*)$/.exec(body);
          if (at) thread.frames.push(frames.get(javacoreFrame(at[1])));
        }
        break;
      case '5XESTACKTRACE':
        if (thread !== null) {
          const entered = /entered lock:\s*(\S+?)@(0x[0-9a-fA-F]+)/.exec(body);
          if (entered) thread.locks.push({ kind: 'locked', address: entered[2], className: entered[1].replace(/\//g, '.'), frame: thread.frames.length - 1, line: i + 1 });
        }
        break;
      default:
        claims[i] = NOISE_LINE;
    }
  }
  return seen ? [dump] : [];
}

// `java/nio/DirectByteBuffer.<init>(DirectByteBuffer.java:127(Compiled Code))`: slashes in the class part only.
function javacoreFrame(text: string): string {
  const open = text.indexOf('(');
  const head = open >= 0 ? text.slice(0, open) : text;
  return head.replace(/\//g, '.') + (open >= 0 ? text.slice(open) : '');
}
