// The report cut down to what the panel draws, with the links between socket rows and thread groups resolved.
// Built in the Web Worker: a 100 MB dump's report holds every thread and socket (tens of MB as JSON), while this
// view stays small, so handing it to the UI thread costs nothing noticeable.
import { stackExcerpt, type DumpReport, type FrameJson, type ThreadState, type VerdictJson } from '../dump/index';
import { isFrameRef, type FrameRef, type InputSlot } from './protocol';
import { ACTIVITY_WORDS, evidenceLabel, VERDICT_KIND_WORDS, count } from './words';
import { buildInsightsView, type InsightsView } from './insights-model';

export interface InputView {
  slot: InputSlot;
  name: string;
  /** detectInput's label: "jstack, JDK 17, 212 threads", "ss -tanp, 4,024 sockets". */
  label: string;
  warnings: string[];
  unparsed: number;
}

export interface StateBar {
  state: string;
  count: number;
}

export interface Fact {
  key: string;
  label: string;
  value: string;
}

export interface EvidenceLineView {
  source: string;
  line: number;
  text: string;
}

export interface FrameLink extends FrameRef {
  /** `SearchManager.search(SearchManager.java:104)` */
  text: string;
}

export interface VerdictView {
  id: string;
  kind: string;
  kindWords: string;
  title: string;
  confidence: number;
  summary: string;
  why: string;
  counts: Fact[];
  details: Fact[];
  lines: EvidenceLineView[];
  frames: FrameLink[];
  rowKeys: string[];
  groupIds: string[];
}

export type StackLine = { kind: 'frame'; text: string; app: boolean; ref: FrameRef | null } | { kind: 'gap'; text: string };

export interface GroupView {
  id: string;
  dump: number;
  state: ThreadState;
  activity: string;
  count: number;
  names: string[];
  pool: string | null;
  frames: StackLine[];
  rowKeys: string[];
}

export interface SocketRowView {
  key: string;
  direction: string;
  port: string;
  remoteHost: string;
  state: string;
  count: number;
  programs: string;
  groupIds: string[];
}

export interface PoolView {
  name: string;
  port: number | null;
  size: number;
  busy: number;
  waiting: number;
  idle: number;
}

export interface PanelView {
  inputs: InputView[];
  verdicts: VerdictView[];
  socketTotal: number;
  threadTotal: number;
  dumpCount: number;
  socketStates: StateBar[];
  threadStates: StateBar[];
  listening: string[];
  rows: SocketRowView[];
  /** Sockets that are in no row the report kept (it keeps the largest 1,000 rows). */
  socketsNotInRows: number;
  groups: GroupView[];
  groupsNotShown: number;
  pools: PoolView[];
  unparsedTotal: number;
  /** The lock table, top running methods and the over-time view. */
  insights: InsightsView;
}

/** More groups than this are one-offs nobody reads during an incident; the DOM stays small. */
export const MAX_GROUPS = 200;
/** Frames shown per stack; deeper application frames are still kept (see stackExcerpt). */
export const MAX_FRAMES = 60;

export function buildPanelView(report: DumpReport, slots: readonly InputSlot[]): PanelView {
  const links = resolveLinks(report);
  const inputName = (input: number) => report.inputs[input]?.name ?? `input ${input + 1}`;
  const poolOfThread = new Map<string, string>();
  for (const pool of report.threads.pools) for (const t of pool.threads) poolOfThread.set(t, pool.name);
  const groups = [...report.threads.groups].sort((a, b) => b.count - a.count);
  const shownGroups = groups.slice(0, MAX_GROUPS);
  const rowSocketCount = report.sockets.table.reduce((n, r) => n + r.count, 0);
  return {
    inputs: report.inputs.map((input, k) => ({
      slot: slots[k] ?? 'threads',
      name: input.name,
      label: input.label,
      warnings: input.warnings,
      unparsed: input.unparsed,
    })),
    verdicts: report.verdicts
      .map((v, index) => ({ v, index }))
      .sort((a, b) => b.v.confidence - a.v.confidence || a.index - b.index)
      .map(({ v }) => verdictView(v, inputName, links)),
    socketTotal: report.sockets.total,
    threadTotal: report.threads.total,
    dumpCount: report.dumps.length,
    socketStates: bars(report.sockets.byState),
    threadStates: bars(report.threads.byState),
    listening: report.sockets.listening.map((l) => `${l.port}${l.program !== null ? ` (${l.pid !== null ? `${l.pid}/` : ''}${l.program})` : ''}${l.inferred ? ', inferred' : ''}`),
    rows: report.sockets.table.map((row) => ({
      key: row.key,
      direction: row.direction,
      port: row.port === null ? '*' : String(row.port),
      remoteHost: row.remoteHost,
      state: row.state,
      count: row.count,
      programs: row.programs.join(', '),
      groupIds: [...(links.groupsOfRow.get(row.key) ?? [])],
    })),
    socketsNotInRows: report.sockets.total - rowSocketCount,
    groups: shownGroups.map((g) => ({
      id: g.id,
      dump: g.dump,
      state: g.state,
      activity: ACTIVITY_WORDS[g.activity] ?? g.activity,
      count: g.count,
      names: g.names.slice(0, 20),
      pool: g.threads.length > 0 ? poolOfThread.get(g.threads[0]) ?? null : null,
      frames: stackLines(g.frames),
      rowKeys: [...(links.rowsOfGroup.get(g.id) ?? [])],
    })),
    groupsNotShown: groups.length - shownGroups.length,
    pools: report.threads.pools.map((p) => ({ name: p.name, port: p.port, size: p.size, busy: p.busy, waiting: p.waiting, idle: p.idle })),
    unparsedTotal: report.unparsed.total,
    insights: buildInsightsView(report),
  };
}

interface ResolvedLinks {
  rowOfSocket: Map<string, string>;
  groupOfThread: Map<string, string>;
  groupsOfRow: Map<string, Set<string>>;
  rowsOfGroup: Map<string, Set<string>>;
}

/** The report links threads to sockets; the panel links what it draws: socket-table rows and thread groups. */
function resolveLinks(report: DumpReport): ResolvedLinks {
  const rowOfSocket = new Map<string, string>();
  for (const row of report.sockets.table) for (const s of row.sockets) rowOfSocket.set(s, row.key);
  const groupOfThread = new Map<string, string>();
  for (const t of report.threads.items) if (t.group !== '') groupOfThread.set(t.id, t.group);
  const groupsOfRow = new Map<string, Set<string>>();
  const rowsOfGroup = new Map<string, Set<string>>();
  for (const link of report.links) {
    const rows = mapIds(link.sockets, rowOfSocket);
    const groups = mapIds(link.threads, groupOfThread);
    for (const row of rows) addAll(groupsOfRow, row, groups);
    for (const group of groups) addAll(rowsOfGroup, group, rows);
  }
  return { rowOfSocket, groupOfThread, groupsOfRow, rowsOfGroup };
}

function mapIds(ids: readonly string[], to: Map<string, string>): Set<string> {
  const out = new Set<string>();
  for (const id of ids) {
    const mapped = to.get(id);
    if (mapped !== undefined) out.add(mapped);
  }
  return out;
}

function addAll(target: Map<string, Set<string>>, key: string, values: Set<string>): void {
  let set = target.get(key);
  if (set === undefined) target.set(key, (set = new Set()));
  for (const v of values) set.add(v);
}

function verdictView(v: VerdictJson, inputName: (input: number) => string, links: ResolvedLinks): VerdictView {
  return {
    id: v.id,
    kind: v.kind,
    kindWords: VERDICT_KIND_WORDS[v.kind] ?? v.kind,
    title: v.title,
    confidence: v.confidence,
    summary: v.summary,
    why: v.why,
    counts: Object.entries(v.evidence.counts).map(([key, value]) => ({ key, label: evidenceLabel(key), value: count(value) })),
    details: Object.entries(v.evidence.details).map(([key, value]) => ({ key, label: evidenceLabel(key), value })),
    lines: v.evidence.lines.map((l) => ({ source: baseName(inputName(l.input)), line: l.line, text: l.text.trim() })),
    frames: v.frames.flatMap((f) => {
      const ref = { class: f.class, method: f.method, file: f.file, line: f.line };
      return isFrameRef(ref) ? [{ ...ref, text: shortFrameText(ref) }] : [];
    }),
    rowKeys: [...mapIds(v.sockets, links.rowOfSocket)],
    groupIds: [...mapIds(v.threads, links.groupOfThread)],
  };
}

function stackLines(frames: readonly FrameJson[]): StackLine[] {
  return stackExcerpt(frames, MAX_FRAMES).map((f): StackLine => {
    if (typeof f === 'string') return { kind: 'gap', text: f };
    const ref = { class: f.class, method: f.method, file: f.file, line: f.line };
    // `app` is isApplicationFrame's answer, set by the parser; only the user's code links to the editor.
    return { kind: 'frame', text: f.text, app: f.app, ref: f.app && isFrameRef(ref) ? ref : null };
  });
}

function bars(byState: Partial<Record<string, number>>): StateBar[] {
  return Object.entries(byState)
    .map(([state, n]) => ({ state, count: n ?? 0 }))
    .filter((b) => b.count > 0)
    .sort((a, b) => b.count - a.count || a.state.localeCompare(b.state));
}

function shortFrameText(f: FrameRef): string {
  const simpleClass = f.class.slice(f.class.lastIndexOf('.') + 1);
  const where = f.file === null ? 'Unknown Source' : f.line === null ? f.file : `${f.file}:${f.line}`;
  return `${simpleClass}.${f.method}(${where})`;
}

function baseName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}
