// Several dumps of one process over time (one paste with N dumps, or N files): threads stuck in the same frames in
// every dump, threads whose CPU time grew most, and pools whose busy count rose. A cause that persists across dumps
// taken seconds apart is no passing moment.
import type { JavaThread, ThreadDump, ThreadState } from '../model';
import type { DumpAnalysis } from '../correlate';
import type { ActivityKind } from '../activity';

export interface StuckThread {
  key: string;
  name: string;
  /** The thread in each dump of the series, oldest first. */
  threads: JavaThread[];
  state: ThreadState;
  activity: ActivityKind;
}

export interface HotThread {
  key: string;
  name: string;
  threads: JavaThread[];
  /** CPU time used between its first and its last dump. */
  cpuMs: number;
  /** That time as a share of one CPU over the same seconds, when the dumps are dated. */
  share: number | null;
}

export interface RisingPool {
  name: string;
  /** Busy workers in each dump of the series (null where the pool does not appear). */
  busy: (number | null)[];
  size: (number | null)[];
}

export interface Timeline {
  pid: number | null;
  /** The dumps of the series, oldest first. */
  dumps: ThreadDump[];
  /** Seconds from the first to the last dump, when their timestamps can be read. */
  seconds: number | null;
  stuck: StuckThread[];
  hot: HotThread[];
  pools: RisingPool[];
}

/** Frames compared to call a thread stuck: the same top of the stack, not merely the same entry point. */
const SAME_FRAMES = 8;
const HOT_SHOWN = 5;
const MIN_HOT_MS = 50;
/** Resting places: a thread sitting here in every dump is idle, not stuck. */
const RESTING: ReadonlySet<ActivityKind> = new Set(['idle', 'selector', 'socket-accept', 'no-stack', 'sleeping']);

export function buildTimeline(analyses: readonly DumpAnalysis[]): Timeline | null {
  const series = longestSeries(analyses);
  if (series === null) return null;
  const times = series.map((a) => dumpTime(a.dump.timestamp));
  const seconds = times.every((t) => t !== null) ? ((times[times.length - 1] ?? 0) - (times[0] ?? 0)) / 1000 : null;
  const perKey = new Map<string, JavaThread[]>();
  series.forEach((analysis, k) => {
    for (const thread of analysis.dump.threads) {
      const list = perKey.get(thread.key);
      if (list === undefined) perKey.set(thread.key, [thread]);
      else if (list.length === k) list.push(thread);
    }
  });
  const stuck: StuckThread[] = [];
  const hot: HotThread[] = [];
  for (const [key, threads] of perKey) {
    const first = threads[0];
    const last = threads[threads.length - 1];
    if (threads.length === series.length && isStuck(threads, series)) {
      stuck.push({ key, name: first.name, threads, state: last.state, activity: series[series.length - 1].activity.get(last)?.kind ?? 'running' });
    }
    if (threads.length >= 2 && first.cpuMs !== null && last.cpuMs !== null && last.cpuMs > first.cpuMs) {
      const cpuMs = Math.round((last.cpuMs - first.cpuMs) * 100) / 100;
      const span = spanOf(threads, series, times);
      hot.push({ key, name: first.name, threads, cpuMs, share: span !== null && span > 0 ? Math.round((cpuMs / (span * 1000)) * 100) / 100 : null });
    }
  }
  hot.sort((a, b) => b.cpuMs - a.cpuMs);
  // Threads that used a sliver of what the busiest used are not hot, only alive.
  const hottest = hot[0]?.cpuMs ?? 0;
  const notable = hot.filter((h) => h.cpuMs >= Math.max(MIN_HOT_MS, hottest * 0.05));
  return { pid: series[0].dump.pid, dumps: series.map((a) => a.dump), seconds, stuck, hot: notable.slice(0, HOT_SHOWN), pools: risingPools(series) };
}

/** The dumps of the process with the most dumps (at least two), in time order when they are dated. */
function longestSeries(analyses: readonly DumpAnalysis[]): DumpAnalysis[] | null {
  const byPid = new Map<string, DumpAnalysis[]>();
  for (const a of analyses) {
    const key = String(a.dump.pid ?? a.pid ?? '?');
    const list = byPid.get(key);
    if (list === undefined) byPid.set(key, [a]);
    else list.push(a);
  }
  const best = [...byPid.values()].sort((a, b) => b.length - a.length)[0];
  if (best === undefined || best.length < 2) return null;
  const times = best.map((a) => dumpTime(a.dump.timestamp));
  if (times.every((t) => t !== null)) return best.map((a, k) => ({ a, t: times[k] ?? 0 })).sort((x, y) => x.t - y.t).map((x) => x.a);
  return best;
}

function isStuck(threads: readonly JavaThread[], series: readonly DumpAnalysis[]): boolean {
  const last = threads[threads.length - 1];
  const activity = series[series.length - 1].activity.get(last)?.kind ?? 'running';
  if (RESTING.has(activity) || last.frames.length === 0) return false;
  // JVM and JDK housekeeping threads (Finalizer, Reference Handler) wait in one place by design.
  if (!last.frames.some((f) => f.app) && last.state !== 'BLOCKED') return false;
  const signature = (t: JavaThread): string => `${t.state}|${t.frames.slice(0, SAME_FRAMES).map((f) => f.text).join('|')}`;
  const first = signature(threads[0]);
  return threads.every((t) => signature(t) === first);
}

function spanOf(threads: readonly JavaThread[], series: readonly DumpAnalysis[], times: readonly (number | null)[]): number | null {
  const at = (t: JavaThread): number | null => times[positionIn(series, t.dump)] ?? null;
  const start = at(threads[0]);
  const end = at(threads[threads.length - 1]);
  return start !== null && end !== null ? (end - start) / 1000 : null;
}

/** Where dump `index` sits in the series (a map built once per series). */
function positionIn(series: readonly DumpAnalysis[], index: number): number {
  let positions = seriesPositions.get(series);
  if (positions === undefined) seriesPositions.set(series, (positions = new Map(series.map((a, k) => [a.dump.index, k]))));
  return positions.get(index) ?? -1;
}

const seriesPositions = new WeakMap<readonly DumpAnalysis[], Map<number, number>>();

function risingPools(series: readonly DumpAnalysis[]): RisingPool[] {
  const byName = series.map((a) => new Map(a.pools.map((p) => [p.name, p])));
  const names = new Set(series.flatMap((a) => a.pools.map((p) => p.name)));
  const rising: RisingPool[] = [];
  for (const name of names) {
    const pools = byName.map((pools) => pools.get(name) ?? null);
    const busy = pools.map((p) => p?.busy ?? null);
    const seen = busy.filter((b): b is number => b !== null);
    if (seen.length >= 2 && seen[seen.length - 1] > seen[0]) rising.push({ name, busy, size: pools.map((p) => p?.threads.length ?? null) });
  }
  return rising;
}

/**
 * Milliseconds of a dump's timestamp, for differences only: `2026-11-29 18:35:48`, ISO 8601, OpenJ9's
 * `2024/12/06 14:22:31:118`, SAP's and JRockit's `Mon Feb  4 16:45:56 2008`.
 */
export function dumpTime(text: string | null): number | null {
  if (text === null) return null;
  const j9 = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d)(?::(\d{1,3}))?$/.exec(text);
  const normalized = j9 ? `${j9[1]}-${j9[2]}-${j9[3]}T${j9[4]}${j9[5] !== undefined ? `.${j9[5].padStart(3, '0')}` : ''}` : text.replace(/^(\d{4}-\d\d-\d\d) /, '$1T');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? null : ms;
}
