// pinned-carrier: a virtual thread blocks while it holds a monitor (a `synchronized` block or method), so it cannot
// unmount and its carrier thread blocks with it (JDK 21 to 23). Virtual threads share a few carriers (one per CPU by
// default): once every carrier is pinned, no other virtual thread runs at all, however many are ready.
import type { Frame, JavaThread, Lock } from '../model';
import type { Finding, VerdictRule } from './types';
import { applicationFrame, clamp, distinct, frameLine, headerLine } from './evidence';
import { plural, quoteList, shortFrame } from '../words';
import type { ActivityKind } from '../activity';
import { stillHeld } from '../threads/held';

/** What a virtual thread can block in; blocking elsewhere than here is running. */
const BLOCKING: ReadonlySet<ActivityKind> = new Set(['parked', 'socket-read', 'socket-write', 'socket-connect', 'lock-wait', 'object-wait', 'sleeping', 'future-wait', 'lease-wait']);

interface Pinned {
  carrier: JavaThread;
  /** The monitor the virtual thread holds, when a `locked` line names it. */
  monitor: Lock | null;
  /** The JDK parked the carrier itself (VirtualThread.parkOnCarrierThread): the pinning is the JVM's own word. */
  parkedOnCarrier: boolean;
  /** The frame of the virtual thread that took the monitor. */
  frame: Frame | null;
}

export const pinnedCarrier: VerdictRule = {
  kind: 'pinned-carrier',
  why:
    'A virtual thread that blocks inside synchronized code cannot leave its carrier thread, so the carrier blocks too (JDK 21 to 23). Virtual threads share one carrier per CPU: once every carrier is pinned, no virtual thread runs at all, however many are ready.',
  evaluate(context) {
    const analysis = context.analysis;
    if (analysis === null) return [];
    const carriers = analysis.dump.threads.filter((t) => mountedDepth(t) > 0);
    const pinned = carriers.map((t) => pinnedOf(t, analysis.activity.get(t)?.kind)).filter((p): p is Pinned => p !== null && !context.claimed.threads.has(p.carrier));
    if (pinned.length === 0) return [];
    const all = pinned.length === carriers.length;
    const proof = pinned.some((p) => p.parkedOnCarrier);
    const frames = distinct(pinned.map((p) => p.frame ?? applicationFrame(p.carrier)));
    const monitors = distinct(pinned.map((p) => (p.monitor !== null ? `${p.monitor.className ?? 'a monitor'} <${p.monitor.address ?? '?'}>` : null)));
    const lines = pinned.slice(0, 2).flatMap((p) => {
      const at = p.monitor !== null ? { input: p.carrier.input, line: p.monitor.line, text: context.lineText(p.carrier.input, p.monitor.line) } : p.frame !== null ? frameLine(context, p.carrier, p.frame) : null;
      return at !== null ? [headerLine(context, p.carrier), at] : [headerLine(context, p.carrier)];
    });
    const where = frames.length > 0 ? ` The monitor is taken at ${frames.slice(0, 2).map(shortFrame).join(' and ')}.` : '';
    return [
      {
        kind: 'pinned-carrier',
        key: `pinned-carrier:${analysis.dump.pid ?? '*'}`,
        title: `${plural(pinned.length, 'carrier thread')} pinned by virtual threads`,
        confidence: clamp(0.7 + (proof ? 0.1 : 0) + (all && carriers.length > 1 ? 0.1 : 0)),
        summary:
          `${all ? `All ${plural(carriers.length, 'carrier thread')}` : `${pinned.length} of ${plural(carriers.length, 'carrier thread')}`} (${quoteList(pinned.map((p) => p.carrier.name))}) ` +
          `${pinned.length === 1 ? 'runs a virtual thread that is' : 'run virtual threads that are'} blocked while holding ${monitors.length > 0 ? monitors.slice(0, 2).join(' and ') : 'a monitor'}, so ${pinned.length === 1 ? 'it cannot' : 'they cannot'} unmount: ` +
          `${all ? 'no other virtual thread can run until one of them wakes up.' : 'every blocked one takes a carrier from all other virtual threads.'}${where} ` +
          'Replace synchronized around blocking calls with a java.util.concurrent ReentrantLock, or move to JDK 24 or later (JEP 491 lets virtual threads unmount inside synchronized); -Djdk.tracePinnedThreads=full prints every pinning.',
        evidence: {
          counts: { pinnedCarriers: pinned.length, carriers: carriers.length },
          details: { ...(monitors.length > 0 ? { monitors: monitors.join(', ') } : {}), parkedOnCarrier: proof ? 'yes' : 'no' },
          lines,
        },
        threads: pinned.map((p) => p.carrier),
        sockets: [],
        frames: distinct(pinned.map((p) => p.frame)),
      } satisfies Finding,
    ];
  },
};

/** How many frames on top of a carrier's stack are its mounted virtual thread's (0: no virtual thread mounted). */
function mountedDepth(thread: JavaThread): number {
  const { run, enter } = markersOf(thread.frames);
  if (run >= 0) return run;
  return thread.carrying !== null ? enter : 0;
}

// Threads share stack arrays (FrameTable.stack): a stack is searched for the mount's frames once, not per thread.
const markers = new WeakMap<readonly Frame[], { run: number; enter: number }>();

function markersOf(frames: readonly Frame[]): { run: number; enter: number } {
  let known = markers.get(frames);
  if (known === undefined) {
    known = {
      run: frames.findIndex((f) => f.class === 'java.lang.VirtualThread' && f.method === 'run'),
      enter: frames.findIndex((f) => f.class === 'jdk.internal.vm.Continuation' && f.method.startsWith('enter')),
    };
    markers.set(frames, known);
  }
  return known;
}

function pinnedOf(carrier: JavaThread, activity: ActivityKind | undefined): Pinned | null {
  const depth = mountedDepth(carrier);
  const mounted = carrier.frames.slice(0, depth);
  const parkedOnCarrier = mounted.some((f) => f.class === 'java.lang.VirtualThread' && f.method === 'parkOnCarrierThread');
  const monitor = carrier.locks.find((l) => l.frame >= 0 && l.frame < depth && stillHeld(carrier, l)) ?? null;
  const blocked = parkedOnCarrier || (activity !== undefined && BLOCKING.has(activity)) || carrier.state === 'BLOCKED';
  if (!blocked || (monitor === null && !parkedOnCarrier)) return null;
  return { carrier, monitor, parkedOnCarrier, frame: monitor !== null ? (carrier.frames[monitor.frame] ?? null) : applicationFrame(carrier) };
}
