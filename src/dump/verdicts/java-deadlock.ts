// java-deadlock: threads that each hold a lock the next one waits for, in a cycle. Taken from the dump's own
// deadlock report when it has one (certain), otherwise computed from `waiting to lock` / `parking to wait for`
// lines and the `locked` lines and ownable synchronizers of the owners.
import type { JavaThread, Lock, ReportedDeadlock, ThreadDump } from '../model';
import type { Finding, VerdictContext, VerdictRule } from './types';
import { applicationFrame, clamp, distinct, frameLine, headerLine } from './evidence';
import { count, plural, quoteList, shortFrame } from '../words';
import { queuedLocks } from '../insights/locks';

interface Edge {
  waiter: JavaThread;
  lock: Lock;
  owner: JavaThread;
}

export const javaDeadlock: VerdictRule = {
  kind: 'java-deadlock',
  why:
    'Each thread of the cycle holds a lock the next one needs, so none of them can continue. The JVM never breaks a deadlock: only a restart frees these threads and whatever waits behind their locks.',
  evaluate(context) {
    const analysis = context.analysis;
    if (analysis === null) return [];
    const threads = analysis.dump.threads;
    const edges = waitForEdges(analysis.dump);
    const cycles = findCycles(edges);
    const findings: Finding[] = [];
    const covered = new Set<JavaThread>();
    const waiters = cycles.length > 0 ? waitersByLock(edges) : new Map<string, JavaThread[]>();
    for (const cycle of cycles) {
      const reported = analysis.dump.deadlocks.find((d) => reportCovers(d, cycle.map((e) => e.waiter)));
      findings.push(finding(context, cycle, reported ?? null, waiters));
      for (const edge of cycle) covered.add(edge.waiter);
    }
    // A reported deadlock whose threads' stacks are not all in the paste (an excerpt, an OpenJ9 summary).
    let byName: Map<string, JavaThread[]> | null = null;
    for (const report of analysis.dump.deadlocks) {
      byName ??= threadsByName(threads);
      const named = byName;
      const members = report.entries.map((e) => resolve(named, e.thread, e.waitsFor));
      if (members.some((t) => t !== null && covered.has(t))) continue;
      findings.push(reportedOnly(context, report, distinct(members)));
    }
    return findings;
  },
};

/**
 * Each thread's wait for the holder of the first lock it waits to take, in dump order. The holders are the lock
 * table's (one per lock, the report's), and only the threads queued on a held lock are looked at.
 */
function waitForEdges(dump: ThreadDump): Map<JavaThread, Edge> {
  const found: Edge[] = [];
  const seen = new Set<JavaThread>();
  for (const entry of queuedLocks(dump)) {
    const owner = entry.holder;
    if (owner === null) continue;
    for (const queue of [entry.acquiring, entry.waitingForNotification]) {
      for (const thread of queue) {
        if (thread === owner || seen.has(thread)) continue;
        const lock = firstWait(thread);
        if (lock?.address !== entry.address) continue;
        seen.add(thread);
        found.push({ waiter: thread, lock, owner });
      }
    }
  }
  found.sort((a, b) => a.waiter.index - b.waiter.index);
  return new Map(found.map((e) => [e.waiter, e]));
}

/** The lock a thread waits to take: the first it waits to lock, relock or parks on. */
function firstWait(thread: JavaThread): Lock | undefined {
  return thread.locks.find((l) => (l.kind === 'waiting-to-lock' || l.kind === 'waiting-to-relock' || l.kind === 'parking') && l.address !== null);
}

/** Threads waiting for each lock, in dump order: what waits behind a cycle is read here, not by scanning every thread. */
function waitersByLock(edges: Map<JavaThread, Edge>): Map<string, JavaThread[]> {
  const byLock = new Map<string, JavaThread[]>();
  for (const edge of edges.values()) {
    const address = edge.lock.address as string;
    const list = byLock.get(address);
    if (list === undefined) byLock.set(address, [edge.waiter]);
    else list.push(edge.waiter);
  }
  return byLock;
}

/** Each thread waits for at most one lock, so the wait-for graph is a functional graph: follow each path once. */
function findCycles(edges: Map<JavaThread, Edge>): Edge[][] {
  const state = new Map<JavaThread, 'visiting' | 'done'>();
  const cycles: Edge[][] = [];
  // Only a thread that waits can be in a cycle; waiters in dump order, as the threads are.
  for (const start of edges.keys()) {
    const path: JavaThread[] = [];
    let current: JavaThread | undefined = start;
    while (current !== undefined && !state.has(current)) {
      state.set(current, 'visiting');
      path.push(current);
      current = edges.get(current)?.owner;
    }
    if (current !== undefined && state.get(current) === 'visiting') {
      const cycleThreads = path.slice(path.indexOf(current));
      cycles.push(cycleThreads.map((t) => edges.get(t)).filter((e): e is Edge => e !== undefined));
    }
    for (const t of path) state.set(t, 'done');
  }
  return cycles;
}

function threadsByName(threads: readonly JavaThread[]): Map<string, JavaThread[]> {
  const byName = new Map<string, JavaThread[]>();
  for (const t of threads) {
    const list = byName.get(t.name);
    if (list === undefined) byName.set(t.name, [t]);
    else list.push(t);
  }
  return byName;
}

function resolve(byName: Map<string, JavaThread[]>, name: string, waitsFor: string | null): JavaThread | null {
  const named = byName.get(name) ?? [];
  // Names repeat (two `DeadlockThread-A`s in one dump); the lock it waits for tells them apart.
  return named.find((t) => waitsFor !== null && t.locks.some((l) => l.address === waitsFor)) ?? named[0] ?? null;
}

function reportCovers(report: ReportedDeadlock, members: readonly JavaThread[]): boolean {
  if (report.entries.length !== members.length) return false;
  const names = new Set(members.map((m) => m.name));
  return report.entries.every((e) => names.has(e.thread));
}

/** Links of a cycle named in its summary and quoted as evidence; a cycle of thousands is counted, not listed. */
const LINKS_NAMED = 6;

/** The first items of `total`, then how many more. */
function listed(first: readonly string[], total: number, separator: string): string {
  const named = first.join(separator);
  return total > first.length ? `${named}${separator}and ${count(total - first.length)} more` : named;
}

function finding(context: VerdictContext, cycle: Edge[], reported: ReportedDeadlock | null, waiters: Map<string, JavaThread[]>): Finding {
  const members = cycle.map((e) => e.waiter);
  const inCycle = new Set(members);
  const behind: JavaThread[] = [];
  for (const address of new Set(cycle.map((e) => e.lock.address as string))) for (const t of waiters.get(address) ?? []) if (!inCycle.has(t)) behind.push(t);
  behind.sort((a, b) => a.index - b.index);
  const chain = listed(cycle.slice(0, LINKS_NAMED).map((e) => `"${e.waiter.name}" waits for ${lockName(e.lock)} held by "${e.owner.name}"`), cycle.length, '; ');
  const frames = distinct(cycle.map((e) => applicationFrame(e.waiter, Math.max(0, e.lock.frame)))).slice(0, LINKS_NAMED);
  const lines = cycle.slice(0, LINKS_NAMED).flatMap((e) => [headerLine(context, e.waiter), { input: e.waiter.input, line: e.lock.line, text: context.lineText(e.waiter.input, e.lock.line) }]);
  if (reported !== null) lines.unshift({ input: members[0].input, line: reported.line, text: context.lineText(members[0].input, reported.line) });
  const where = frames.length > 0 ? ` Look at ${frames.map(shortFrame).join(' and ')}.` : '';
  return {
    kind: 'java-deadlock',
    key: `java-deadlock:${members.map((t) => t.key).sort().join('|')}`,
    title: `Java deadlock between ${plural(members.length, 'thread')}`,
    confidence: clamp(reported !== null ? 1 : 0.9),
    summary:
      `${quoteList(members.map((t) => t.name), 4)} are deadlocked: ${chain}. None of them can ever continue` +
      (behind.length > 0 ? `, and ${plural(behind.length, 'more thread')} already wait${behind.length === 1 ? 's' : ''} behind their locks` : '') +
      `. ${reported !== null ? 'The JVM itself reported this deadlock.' : 'The cycle follows from the lock lines of the dump (the JVM printed no deadlock report).'}` +
      ` Take these locks in one fixed order everywhere, or use tryLock with a timeout.${where}`,
    evidence: {
      counts: { threads: members.length, waitingBehind: behind.length },
      details: { reportedByJvm: reported !== null ? 'yes' : 'no', locks: listed(cycle.slice(0, LINKS_NAMED).map((e) => lockName(e.lock)), cycle.length, ', ') },
      lines,
    },
    threads: [...members, ...behind],
    sockets: [],
    frames,
  };
}

function reportedOnly(context: VerdictContext, report: ReportedDeadlock, members: JavaThread[]): Finding {
  const names = report.entries.map((e) => e.thread);
  const input = members[0]?.input ?? context.analysis?.dump.input ?? 0;
  const frames = distinct(members.map((t) => applicationFrame(t))).slice(0, LINKS_NAMED);
  const entries = report.entries.slice(0, LINKS_NAMED);
  const chain = listed(entries.map((e) => `"${e.thread}" waits for ${e.waitsFor ?? 'a lock'}${e.heldBy !== null ? ` held by "${e.heldBy}"` : ''}`), report.entries.length, '; ');
  const quoted = members.slice(0, LINKS_NAMED);
  const lines = [{ input, line: report.line, text: context.lineText(input, report.line) }, ...quoted.map((t) => headerLine(context, t))];
  for (const t of quoted) {
    const frame = applicationFrame(t);
    const line = frame !== null ? frameLine(context, t, frame) : null;
    if (line !== null) lines.push(line);
  }
  return {
    kind: 'java-deadlock',
    key: `java-deadlock:${[...names].sort().join('|')}`,
    title: `Java deadlock between ${plural(names.length, 'thread')}`,
    confidence: 1,
    summary:
      `The JVM reported a deadlock: ${chain}. None of these threads can ever continue. ` +
      `${members.length < names.length ? `Only ${plural(members.length, 'of their stacks is', 'of their stacks are')} in the paste. ` : ''}` +
      'Take these locks in one fixed order everywhere, or use tryLock with a timeout.',
    evidence: { counts: { threads: names.length, stacksInPaste: members.length }, details: { reportedByJvm: 'yes' }, lines },
    threads: members,
    sockets: [],
    frames,
  };
}

function lockName(lock: Lock): string {
  return `${lock.className ?? 'a lock'} <${lock.address ?? '?'}>`;
}
