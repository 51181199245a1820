// Top running methods: the most frequent top frame of the application threads that are running code (RUNNABLE and
// not waiting in a socket, selector or accept). A method many threads run at once, or in every dump, is where the
// CPU goes.
import type { Frame, JavaThread } from '../model';
import type { DumpAnalysis } from '../correlate';

export interface HotMethod {
  /** The top frame as printed (the most frequent spelling when lines differ). */
  frame: Frame;
  threads: JavaThread[];
  /** Dumps in which the method ran. */
  dumps: number;
  /** The topmost application frame below it, most frequent first: the user's code that called it. */
  appFrame: Frame | null;
}

const SHOWN = 10;

// Threads share stack arrays (FrameTable.stack): the caller and the method's key are found once per stack.
const byStack = new WeakMap<readonly Frame[], { caller: Frame | null; key: string }>();

function methodOf(frames: readonly Frame[], top: Frame): { caller: Frame | null; key: string } {
  let known = byStack.get(frames);
  if (known === undefined) byStack.set(frames, (known = { caller: frames.find((f) => f.app) ?? null, key: `${top.class}.${top.method}` }));
  return known;
}

export function hotMethods(analyses: readonly DumpAnalysis[]): HotMethod[] {
  const byMethod = new Map<string, { frames: Map<Frame, number>; threads: JavaThread[]; dumps: Set<number>; callers: Map<Frame, number> }>();
  for (const analysis of analyses) {
    for (const thread of analysis.dump.threads) {
      const top = thread.frames[0];
      if (thread.state !== 'RUNNABLE' || top === undefined || analysis.activity.get(thread)?.kind !== 'running') continue;
      const { caller, key } = methodOf(thread.frames, top);
      if (caller === null) continue;
      let entry = byMethod.get(key);
      if (entry === undefined) byMethod.set(key, (entry = { frames: new Map(), threads: [], dumps: new Set(), callers: new Map() }));
      entry.frames.set(top, (entry.frames.get(top) ?? 0) + 1);
      entry.threads.push(thread);
      entry.dumps.add(analysis.dump.index);
      entry.callers.set(caller, (entry.callers.get(caller) ?? 0) + 1);
    }
  }
  return [...byMethod.values()]
    .map((e) => ({ frame: mostFrequent(e.frames) as Frame, threads: e.threads, dumps: e.dumps.size, appFrame: mostFrequent(e.callers) }))
    .sort((a, b) => b.threads.length - a.threads.length || b.dumps - a.dumps || a.frame.text.localeCompare(b.frame.text))
    .slice(0, SHOWN);
}

function mostFrequent<T>(counts: Map<T, number>): T | null {
  let best: T | null = null;
  let most = 0;
  for (const [item, n] of counts) {
    if (n > most) {
      best = item;
      most = n;
    }
  }
  return best;
}
