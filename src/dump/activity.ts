// What a thread is doing, read from the top of its stack: waiting for a socket, a pooled connection, a future, a
// lock, a new task, or running. Verdicts and links reason about these, never about raw frames.
import type { Frame, JavaThread } from './model';
import {
  CLIENT_LIBRARIES,
  CONNECTION_LEASE,
  FUTURE_WAIT,
  matchesAny,
  REQUEST_HANDLING,
  SELECTOR_WAIT,
  SERVER_READ,
  SOCKET_ACCEPT,
  SOCKET_CONNECT,
  SOCKET_READ,
  SOCKET_WRITE,
  TASK_WAIT,
} from './catalog';

export type ActivityKind =
  | 'idle'
  | 'selector'
  | 'socket-read'
  | 'socket-write'
  | 'socket-connect'
  | 'socket-accept'
  | 'lease-wait'
  | 'future-wait'
  | 'lock-wait'
  | 'object-wait'
  | 'parked'
  | 'sleeping'
  | 'running'
  | 'no-stack';

export interface ThreadActivity {
  kind: ActivityKind;
  /** Index of the frame that decided the kind, -1 when none did. */
  frame: number;
  /** Last frame below `frame` still of the same kind: the API the code called (`invokeAll` over `FutureTask.get`). */
  callFrame: number;
  /** Client library in the stack (`Apache HttpClient`, `PostgreSQL JDBC`), the peer a socket wait is for. */
  client: string | null;
  /** That client speaks HTTP, so the peer could be the application's own server. */
  httpClient: boolean;
  /** The connection pool library for `lease-wait`. */
  pool: string | null;
  /** A socket wait below server connection handling: waiting for a client's request, not a peer's answer. */
  serverSide: boolean;
  /** Serving a web request (servlet container frames in the stack). */
  handlingRequest: boolean;
}

/** Only the top of a stack says what a thread waits for; deeper frames say why. */
const DECISIVE_DEPTH = 40;

interface FrameTraits {
  kind: ActivityKind | null;
  lease: string | null;
  client: string | null;
  http: boolean;
  request: boolean;
  serverRead: boolean;
}

// Frames are shared objects (see FrameTable), so each distinct frame is matched against the catalogue once.
const traitsCache = new WeakMap<Frame, FrameTraits>();

function traitsOf(frame: Frame): FrameTraits {
  let traits = traitsCache.get(frame);
  if (traits === undefined) {
    const { class: c, method: m } = frame;
    const client = CLIENT_LIBRARIES.find((s) => matchesAny([s], c, m));
    traits = {
      kind: decisiveKind(c, m),
      lease: CONNECTION_LEASE.find((s) => matchesAny([s], c, m))?.library ?? null,
      client: client?.library ?? null,
      http: client?.http ?? false,
      request: matchesAny(REQUEST_HANDLING, c, m),
      serverRead: matchesAny(SERVER_READ, c, m),
    };
    traitsCache.set(frame, traits);
  }
  return traits;
}

// Threads share stack arrays (FrameTable.stack): what a stack says is worked out once per array. Only a stack with
// no decisive frame needs the thread itself (its state and locks).
const byStack = new WeakMap<readonly Frame[], { activity: ThreadActivity; fallbacks: Map<ActivityKind, ThreadActivity> }>();

/** What the thread is doing. Threads alike share one object: never change it. */
export function classifyThread(thread: JavaThread): ThreadActivity {
  const frames = thread.frames;
  let known = byStack.get(frames);
  if (known === undefined) {
    known = { activity: classifyStack(frames), fallbacks: new Map() };
    byStack.set(frames, known);
  }
  if (known.activity.frame >= 0) return known.activity;
  const kind = fallbackKind(thread, frames);
  let activity = known.fallbacks.get(kind);
  if (activity === undefined) known.fallbacks.set(kind, (activity = { ...known.activity, kind }));
  return activity;
}

function classifyStack(frames: readonly Frame[]): ThreadActivity {
  const result: ThreadActivity = { kind: 'running', frame: -1, callFrame: -1, client: null, httpClient: false, pool: null, serverSide: false, handlingRequest: false };
  let serverRead = false;
  for (let i = 0; i < frames.length; i++) {
    const traits = traitsOf(frames[i]);
    if (result.client === null && traits.client !== null) {
      result.client = traits.client;
      result.httpClient = traits.http;
    }
    if (traits.request) result.handlingRequest = true;
    if (result.frame >= 0 && traits.serverRead) serverRead = true;
    if (result.frame < 0 && i < DECISIVE_DEPTH && traits.kind !== null) {
      result.kind = traits.kind;
      result.frame = i;
      result.callFrame = i;
      result.pool = traits.lease;
    } else if (result.callFrame === i - 1 && traits.kind === result.kind) {
      result.callFrame = i;
    }
  }
  if (result.kind === 'socket-read' || result.kind === 'socket-write') result.serverSide = result.client === null && serverRead;
  return result;
}

// Order matters: a worker parked in FutureTask.get is waiting for a future, not merely parked, and a thread
// leasing a connection parks inside the pool.
function decisiveKind(c: string, m: string): ActivityKind | null {
  if (matchesAny(CONNECTION_LEASE, c, m)) return 'lease-wait';
  if (matchesAny(FUTURE_WAIT, c, m)) return 'future-wait';
  if (matchesAny(SOCKET_READ, c, m)) return 'socket-read';
  if (matchesAny(SOCKET_WRITE, c, m)) return 'socket-write';
  if (matchesAny(SOCKET_CONNECT, c, m)) return 'socket-connect';
  if (matchesAny(SOCKET_ACCEPT, c, m)) return 'socket-accept';
  if (matchesAny(SELECTOR_WAIT, c, m)) return 'selector';
  if (matchesAny(TASK_WAIT, c, m)) return 'idle';
  return null;
}

function fallbackKind(thread: JavaThread, frames: readonly Frame[]): ActivityKind {
  if (frames.length === 0) return 'no-stack';
  if (thread.state === 'BLOCKED' || thread.locks.some((l) => l.kind === 'waiting-to-lock' || l.kind === 'waiting-to-relock')) return 'lock-wait';
  // JRockit prints its own VM frames (jrockit.vm.Threads.waitForNotifySignal) above the Java call that waits.
  const top = frames.find((f) => !f.class.startsWith('jrockit.vm.')) ?? frames[0];
  if (top.method.startsWith('sleep') && top.class === 'java.lang.Thread') return 'sleeping';
  if (top.class === 'java.lang.Object' && top.method.startsWith('wait')) return 'object-wait';
  if (top.method === 'park' && /Unsafe$/.test(top.class)) return 'parked';
  return 'running';
}

/** Waiting for something outside the thread's own pool: a peer's answer, a pooled connection, a future. */
function waitsOnOthers(activity: ThreadActivity): boolean {
  return (
    activity.kind === 'future-wait' ||
    activity.kind === 'lease-wait' ||
    activity.kind === 'socket-connect' ||
    ((activity.kind === 'socket-read' || activity.kind === 'socket-write') && !activity.serverSide)
  );
}

/**
 * Waiting on something that could be the application's own server: a future, or an HTTP call (or a socket with no
 * recognised client around it). Database and cache reads cannot be served by the application itself.
 */
export function mayWaitOnOwnServer(activity: ThreadActivity): boolean {
  if (activity.kind === 'future-wait') return true;
  if (!waitsOnOthers(activity)) return false;
  return activity.client === null || activity.httpClient;
}

/** A pool worker doing nothing: waiting for a task or for I/O readiness. */
export function isIdle(activity: ThreadActivity): boolean {
  return activity.kind === 'idle' || activity.kind === 'selector' || activity.kind === 'socket-accept';
}
