// The lock table, top running methods and over-time view cut down for the panel: names instead of thread ids, the
// holder's stack ready to show, frames of the user's code as links. Built in the worker with the rest of the view.
import { stackExcerpt, type DumpReport, type FrameJson, type ThreadJson } from '../dump/index';
import { isFrameRef, type FrameRef } from './protocol';
import type { FrameLink, StackLine } from './view-model';
import { ACTIVITY_WORDS } from './words';

export interface LockView {
  id: string;
  dump: number;
  /** `java.lang.Object <0x000000069ec1ae58>` */
  name: string;
  kind: 'monitor' | 'synchronizer';
  holder: { name: string; state: string; stack: StackLine[] } | null;
  /** The owner a waiter names when no stack of it is in the paste. */
  holderName: string | null;
  heldAt: FrameLink | null;
  acquiring: string[];
  waitingForNotification: string[];
}

export interface TopMethodView {
  text: string;
  link: FrameLink | null;
  count: number;
  dumps: number;
  caller: FrameLink | null;
}

export interface OverTimeView {
  summary: string;
  stuck: { name: string; state: string; activity: string; at: string; link: FrameLink | null }[];
  hot: { name: string; cpuMs: number; share: number | null }[];
  pools: { name: string; busy: string }[];
}

export interface InsightsView {
  locks: LockView[];
  /** Locks no thread waits for (held only): counted, not listed. */
  quietLocks: number;
  topMethods: TopMethodView[];
  overTime: OverTimeView | null;
}

/** Rows of the lock table; more are in the JSON export. */
export const MAX_LOCKS = 100;
const HOLDER_FRAMES = 40;

export function buildInsightsView(report: DumpReport): InsightsView {
  const threads = new Map(report.threads.items.map((t) => [t.id, t]));
  const groups = new Map(report.threads.groups.map((g) => [g.id, g]));
  const name = (id: string) => threads.get(id)?.name ?? id;
  const waited = report.locks.filter((l) => l.acquiring.length + l.waitingForNotification.length > 0);
  const locks = waited.slice(0, MAX_LOCKS).map((l): LockView => {
    const holder = l.holder !== null ? threads.get(l.holder) : undefined;
    return {
      id: l.id,
      dump: l.dump,
      name: `${l.className ?? l.kind} <${l.address}>`,
      kind: l.kind,
      holder: holder !== undefined ? { name: holder.name, state: holder.state, stack: stackOf(holder, groups) } : null,
      holderName: l.holderName,
      heldAt: link(l.heldAt),
      acquiring: l.acquiring.map(name),
      waitingForNotification: l.waitingForNotification.map(name),
    };
  });
  const topMethods = report.topMethods.map((m) => ({ text: m.frame.text, link: link(m.frame), count: m.count, dumps: m.dumps, caller: m.appFrame !== null && m.appFrame.text !== m.frame.text ? link(m.appFrame) : null }));
  return { locks, quietLocks: report.locks.length - waited.length, topMethods, overTime: overTimeView(report) };
}

function overTimeView(report: DumpReport): OverTimeView | null {
  const t = report.overTime;
  if (t === null) return null;
  const span = t.seconds !== null ? ` over ${Math.round(t.seconds).toLocaleString('en-US')} s` : '';
  return {
    summary: `${t.dumps.length} dumps${t.pid !== null ? ` of process ${t.pid}` : ''}${span}.`,
    stuck: t.stuck.map((s) => {
      const at = s.appFrame ?? s.frame;
      return { name: s.name, state: s.state, activity: ACTIVITY_WORDS[s.activity as keyof typeof ACTIVITY_WORDS] ?? s.activity, at: at?.text ?? '', link: link(at) };
    }),
    hot: t.hot.map((h) => ({ name: h.name, cpuMs: h.cpuMs, share: h.share })),
    pools: t.pools.map((p) => ({ name: p.name, busy: p.busy.map((b) => (b === null ? '–' : String(b))).join(' → ') })),
  };
}

function stackOf(thread: ThreadJson, groups: Map<string, DumpReport['threads']['groups'][number]>): StackLine[] {
  const frames = groups.get(thread.group)?.frames ?? [];
  return stackExcerpt(frames, HOLDER_FRAMES).map((f): StackLine => (typeof f === 'string' ? { kind: 'gap', text: f } : { kind: 'frame', text: f.text, app: f.app, ref: f.app ? refOf(f) : null }));
}

function refOf(f: FrameJson): FrameRef | null {
  const ref = { class: f.class, method: f.method, file: f.file, line: f.line };
  return isFrameRef(ref) ? ref : null;
}

/** Only the user's own frames open the editor. */
function link(f: FrameJson | null): FrameLink | null {
  if (f === null || !f.app) return null;
  const ref = refOf(f);
  return ref !== null ? { ...ref, text: f.text } : null;
}
