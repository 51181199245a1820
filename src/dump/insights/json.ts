// The lock table, top running methods and the over-time view as the report's plain JSON.
import type { JavaThread } from '../model';
import type { Correlation } from '../correlate';
import type { FrameJson } from '../report';
import { frameJson } from '../frame-json';
import { lockCount, lockTable, queuedLocks, type LockEntry } from './locks';
import { lazyArray, unbuiltItems } from '../lazy';
import { hotMethods } from './hot-methods';
import type { Timeline } from './timeline';

export interface LockJson {
  id: string;
  dump: number;
  /** As the dump prints it: `0x00000000c8000c30`, or an identity hash. */
  address: string;
  className: string | null;
  kind: 'monitor' | 'synchronizer';
  /** Thread id of the holder, when a thread of the dump holds it. */
  holder: string | null;
  /** Where the holder took it: the frame its `locked` line follows. */
  heldAt: FrameJson | null;
  /** The holder's name when only a waiter names it (its stack is not in the paste). */
  holderName: string | null;
  /** Threads waiting to acquire it (`waiting to lock`, parked on the lock). */
  acquiring: string[];
  /** Threads waiting for a notification or signal on it (Object.wait, Condition.await). */
  waitingForNotification: string[];
}

export interface HotMethodJson {
  frame: FrameJson;
  count: number;
  threads: string[];
  dumps: number;
  appFrame: FrameJson | null;
}

export interface OverTimeJson {
  pid: number | null;
  dumps: number[];
  seconds: number | null;
  /** Threads in the same state and frames in every dump of the series. */
  stuck: { key: string; name: string; threads: string[]; state: string; activity: string; frame: FrameJson | null; appFrame: FrameJson | null }[];
  /** Threads whose CPU time grew most between their first and last dump. */
  hot: { key: string; name: string; threads: string[]; cpuMs: number; share: number | null }[];
  /** Pools whose busy count rose (one number per dump of the series, null where the pool is absent). */
  pools: { name: string; busy: (number | null)[]; size: (number | null)[] }[];
}

export interface InsightsJson {
  locks: LockJson[];
  topMethods: HotMethodJson[];
  overTime: OverTimeJson | null;
}

/**
 * Puts the lock table, top running methods and over-time view on the report. The lock table's items are made when
 * read (a dump may name a lock per thread): the text report reads only the locks waited for, through waitedLocks.
 */
export function addInsights(report: InsightsJson, correlation: Correlation, timeline: Timeline | null): void {
  lazyArray(report, 'locks', () => lockItems(correlation));
  lockSources.set(report, correlation);
  report.topMethods = hotMethods(correlation.dumps).map((m) => ({ frame: frameJson(m.frame), count: m.threads.length, threads: ids(m.threads), dumps: m.dumps, appFrame: m.appFrame !== null ? frameJson(m.appFrame) : null }));
  report.overTime =
    timeline === null
      ? null
      : {
          pid: timeline.pid,
          dumps: timeline.dumps.map((d) => d.index),
          seconds: timeline.seconds,
          stuck: timeline.stuck.map((s) => {
            const last = s.threads[s.threads.length - 1];
            const top = last.frames[0];
            const app = last.frames.find((f) => f.app);
            return { key: s.key, name: s.name, threads: ids(s.threads), state: s.state, activity: s.activity, frame: top !== undefined ? frameJson(top) : null, appFrame: app !== undefined ? frameJson(app) : null };
          }),
          hot: timeline.hot.map((h) => ({ key: h.key, name: h.name, threads: ids(h.threads), cpuMs: h.cpuMs, share: h.share })),
          pools: timeline.pools.map((p) => ({ name: p.name, busy: p.busy, size: p.size })),
        };
}

const lockSources = new WeakMap<object, Correlation>();

/** The locks some thread waits for (to take them, or for a notification from their holder), with the counts of all. */
export function waitedLocks(report: InsightsJson): WaitedLocks {
  const correlation = unbuiltItems(report, 'locks') !== undefined ? lockSources.get(report) : undefined;
  const found: WaitedLocks = { waited: [], contended: 0, total: 0 };
  if (correlation === undefined) {
    for (const lock of report.locks) tally(found, lock, () => lock);
    found.total = report.locks.length;
    return found;
  }
  // Only the entries somebody waits for are made; the others are counted.
  for (const analysis of correlation.dumps) {
    for (const entry of queuedLocks(analysis.dump)) tally(found, entry, () => lockJson(entry));
    found.total += lockCount(analysis.dump);
  }
  return found;
}

export interface WaitedLocks {
  waited: LockJson[];
  contended: number;
  total: number;
}

function tally(found: WaitedLocks, lock: LockEntry | LockJson, json: () => LockJson): void {
  if (lock.acquiring.length > 0) found.contended++;
  if (lock.acquiring.length > 0 || (lock.waitingForNotification.length > 0 && lock.holder !== null)) found.waited.push(json());
}

function* lockEntries(correlation: Correlation): Generator<LockEntry> {
  for (const analysis of correlation.dumps) yield* lockTable(analysis.dump);
}

function* lockItems(correlation: Correlation): Generator<LockJson> {
  for (const entry of lockEntries(correlation)) yield lockJson(entry);
}

function lockJson(e: LockEntry): LockJson {
  return {
    id: e.id,
    dump: e.dump,
    address: e.address,
    className: e.className,
    kind: e.kind,
    holder: e.holder?.id ?? null,
    heldAt: e.heldAt !== null ? frameJson(e.heldAt) : null,
    holderName: e.holderName,
    acquiring: ids(e.acquiring),
    waitingForNotification: ids(e.waitingForNotification),
  };
}

function ids(threads: readonly JavaThread[]): string[] {
  return threads.map((t) => t.id);
}
