// One stack frame, from every spelling the supported dumps use:
//   java.lang.Thread.run(Thread.java:745)                      HotSpot
//   java.lang.Object.wait(java.base@25/Native Method)          HotSpot 9+, module in the location
//   java.base/java.lang.Object.wait0(Native Method)            jcmd JSON (StackTraceElement.toString)
//   java.lang.Thread.sleep(J)V(Native Method)                  SAP JVM, with the method descriptor
//   java/nio/DirectByteBuffer.<init>(DirectByteBuffer.java:127(Compiled Code))   OpenJ9
import type { Frame } from '../model';
import { isApplicationFrame } from '../catalog';

// `java.base/`, `java.base@21.0.9/`, `app//` before a class name (never `Foo$$Lambda/0x...`, whose prefix has a `$`).
const MODULE_PREFIX = /^[A-Za-z_][\w.]*(?:@[\w.+-]*)?\/\/?(?=[A-Za-z_$])|^\/\/?/;
const FILE_AND_LINE = /^(.*?):(\d+)$/;

/**
 * A stack as a path from the root of a trie whose edges are frames, top frame first. Threads with the same stack
 * end at the same node and share its frames array; reading a stack is a walk down the trie, where the way the last
 * thread went is tried first (stacks repeat: a pool's idle workers, the same dump printed every minute).
 */
export interface StackNode {
  readonly frame: Frame | null;
  readonly parent: StackNode | null;
  readonly depth: number;
  /** Children by frame text. */
  children: Map<string, StackNode> | null;
  /** The child taken last. */
  last: StackNode | null;
  frames: Frame[] | null;
}

/** Frames repeat across threads and dumps: one object per distinct text keeps 100 MB dumps small. */
export class FrameTable {
  private readonly frames = new Map<string, Frame>();
  readonly root: StackNode = { frame: null, parent: null, depth: 0, children: null, last: null, frames: EMPTY };

  get(text: string): Frame {
    return this.frames.get(text) ?? this.add(text, parseFrame(text));
  }

  /** A frame a format spells its own way (Serviceability Agent frames): built once per distinct text. */
  make(text: string, build: () => Frame): Frame {
    return this.frames.get(text) ?? this.add(text, build());
  }

  /** The stack `node` with the frame printed as `line.slice(start, end)` below it. */
  below(node: StackNode, line: string, start: number, end: number): StackNode {
    const text = line.slice(start, end);
    const last = node.last;
    if (last !== null && (last.frame as Frame).text === text) return last;
    return this.step(node, text, null);
  }

  /** The stack `node` with `frame` below it. */
  push(node: StackNode, frame: Frame): StackNode {
    const last = node.last;
    if (last !== null && last.frame === frame) return last;
    return this.step(node, frame.text, frame);
  }

  /** The one array of a stack's frames, shared by every thread with that stack: never change it. */
  framesOf(node: StackNode): Frame[] {
    if (node.frames === null) {
      const frames = new Array<Frame>(node.depth);
      for (let n: StackNode | null = node; n !== null && n.frame !== null; n = n.parent) frames[n.depth - 1] = n.frame;
      node.frames = frames;
    }
    return node.frames;
  }

  /** The shared array holding these frames (see framesOf). */
  stack(frames: readonly Frame[]): Frame[] {
    let node = this.root;
    for (const frame of frames) node = this.push(node, frame);
    return this.framesOf(node);
  }

  private step(node: StackNode, text: string, known: Frame | null): StackNode {
    node.children ??= new Map();
    let child = node.children.get(text);
    if (child === undefined) {
      // One frame object per text (get and make), so the text names the edge.
      child = { frame: known ?? this.get(text), parent: node, depth: node.depth + 1, children: null, last: null, frames: null };
      node.children.set(text, child);
    }
    node.last = child;
    return child;
  }

  private add(text: string, frame: Frame): Frame {
    this.frames.set(text, frame);
    return frame;
  }
}

const EMPTY = Object.freeze([]) as unknown as Frame[];

function parseFrame(text: string): Frame {
  let head = text.trimEnd();
  let location: string | null = null;
  if (head.endsWith(')')) {
    const open = matchingOpenParen(head);
    if (open > 0) {
      location = head.slice(open + 1, head.length - 1);
      head = head.slice(0, open);
    }
  }
  const descriptor = head.indexOf('(');
  if (descriptor >= 0) head = head.slice(0, descriptor);
  head = head.replace(MODULE_PREFIX, '');
  const dot = head.lastIndexOf('.');
  const className = dot > 0 ? head.slice(0, dot) : head;
  const method = dot > 0 ? head.slice(dot + 1) : '';
  const { file, line, native } = parseLocation(location);
  return { text, class: className, method, file, line, native, app: isApplicationFrame(className) };
}

function matchingOpenParen(s: string): number {
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 41 /* ) */) depth++;
    else if (c === 40 /* ( */ && --depth === 0) return i;
  }
  return -1;
}

function parseLocation(location: string | null): { file: string | null; line: number | null; native: boolean } {
  if (location === null) return { file: null, line: null, native: false };
  // OpenJ9 appends `(Compiled Code)`; HotSpot 9+ prefixes `java.base@25/` or `app//`.
  let where = location.replace(/\([^()]*\)\s*$/, '').trim();
  const slash = where.lastIndexOf('/');
  if (slash >= 0) where = where.slice(slash + 1);
  if (where === 'Native Method') return { file: null, line: null, native: true };
  if (where === 'Unknown Source' || where === '') return { file: null, line: null, native: false };
  const m = FILE_AND_LINE.exec(where);
  if (m) return { file: m[1], line: Number(m[2]), native: false };
  return { file: where, line: null, native: false };
}
