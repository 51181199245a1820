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
 * Frames repeat across threads and dumps: one object per distinct text keeps 100 MB dumps small. Stacks repeat too
 * (a pool's idle workers): threads with the same frames share one array.
 */
export class FrameTable {
  private readonly frames = new Map<string, Frame>();
  private readonly ids = new Map<Frame, number>();
  private readonly stacks = new Map<number, Frame[][]>();
  /** The frame seen last below each frame, and the last top frame. */
  private readonly below = new Map<Frame, Frame>();
  private lastTop: Frame | undefined;

  get(text: string): Frame {
    return this.frames.get(text) ?? this.add(text, parseFrame(text));
  }

  /**
   * The frame printed as `line.slice(start, end)`, below `above` in a stack (null for a top frame). Stacks repeat,
   * so the frame that followed `above` last time is tried first: a string comparison instead of a hash lookup.
   */
  frameIn(line: string, start: number, end: number, above: Frame | null): Frame {
    const text = line.slice(start, end);
    const guess = above === null ? this.lastTop : this.below.get(above);
    const frame = guess !== undefined && guess.text === text ? guess : this.get(text);
    if (above === null) this.lastTop = frame;
    else if (guess !== frame) this.below.set(above, frame);
    return frame;
  }

  /** A frame a format spells its own way (Serviceability Agent frames): built once per distinct text. */
  make(text: string, build: () => Frame): Frame {
    return this.frames.get(text) ?? this.add(text, build());
  }

  private add(text: string, frame: Frame): Frame {
    this.frames.set(text, frame);
    this.ids.set(frame, this.ids.size);
    return frame;
  }

  /** The one array holding these frames in this order: threads with the same stack share it (never change it). */
  stack(frames: readonly Frame[]): Frame[] {
    if (frames.length === 0) return EMPTY;
    let hash = frames.length;
    for (const frame of frames) hash = Math.imul(hash ^ (this.ids.get(frame) ?? -1), 0x01000193);
    let bucket = this.stacks.get(hash);
    if (bucket === undefined) this.stacks.set(hash, (bucket = []));
    for (const known of bucket) if (sameFrames(known, frames)) return known;
    const own = frames.slice();
    bucket.push(own);
    return own;
  }
}

const EMPTY = Object.freeze([]) as unknown as Frame[];

function sameFrames(a: readonly Frame[], b: readonly Frame[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

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
