// self-call-deadlock: the workers serving port P wait for requests to P itself, which need a free worker of the same
// pool. Once every worker waits, nobody serves the inner calls, clients give up, and connections on P pile up in
// CLOSE_WAIT.
//
// The proof does not depend on the HTTP client or on what the pool is called: the process owns both ends of
// connections to its own listening port, and its workers (whatever serves requests: Tomcat, Jetty, Undertow, Netty,
// the JDK's HttpServer, any executor) are blocked in HTTP calls while no worker is free or the inner requests sit
// unread. Weaker cases, in order: the same with a pool that still has idle workers (calling itself, not deadlocked
// yet); the self-connections without a thread dump; a pool stuck on others while P collects CLOSE_WAIT, with no
// self-connection visible (possible, not proven).
import type { JavaThread, Socket } from '../model';
import { isIdle, mayWaitOnOwnServer, type ThreadActivity } from '../activity';
import { selfCalls, selfConnections, type DumpAnalysis, type Pool, type SelfCall } from '../correlate';
import type { ProcessSockets, SocketView } from '../sockets/view';
import type { EvidenceLine, Finding, VerdictContext, VerdictRule } from './types';
import { applicationFrame, clamp, distinct, frameLine, headerLine, socketLines } from './evidence';
import { count, plural, shortFrame } from '../words';

type SelfCallBasis = 'proven' | 'calling-itself' | 'no-dump' | 'unconfirmed';

export const selfCallDeadlock: VerdictRule = {
  kind: 'self-call-deadlock',
  why:
    'A server whose request threads wait for requests to the same server needs more free workers than it has: once every worker waits, none is left to answer the inner requests and nothing moves again. Clients time out and close their side, so their connections sit in CLOSE_WAIT, waiting for a close() the stuck server never reaches.',
  evaluate(context) {
    const { analysis, correlation } = context;
    const view = correlation.view;
    const pid = analysis?.pid ?? view.processPid(null);
    const mine = view.of(pid);
    const ports = new Set([...view.serverPortsOf(pid), ...(analysis?.pools.map((p) => p.port) ?? [])]);
    const findings: Finding[] = [];
    for (const port of ports) {
      if (port === null || servedByNode(context, port)) continue;
      const found = evaluatePort(context, analysis, mine, port, pid);
      if (found !== null) findings.push(found);
    }
    return findings;
  },
};

/** Node.js serves requests on an event loop, not a pool of blocking workers: a call to itself waits without a worker. */
function servedByNode(context: VerdictContext, port: number): boolean {
  const listeners = context.correlation.view.listening.filter((l) => l.port === port);
  return (
    listeners.some((l) => /^node(?:js)?$/i.test(l.program ?? '')) ||
    context.nodeProcesses.some((p) => p.listening.includes(port) && listeners.some((l) => l.pid === null || l.pid === p.report.pid))
  );
}

/** What the listing says about a port of a process: the same for every dump of it, so worked out once. */
interface PortSockets {
  calls: readonly SelfCall[];
  /** Inner requests no worker has read: unread bytes on the accepted end, or not even accepted yet. */
  unanswered: readonly SelfCall[];
  /** Calls with both ends listed, those first: the evidence. */
  paired: readonly SelfCall[];
  bothEnds: number;
  /** Inbound connections on the port in CLOSE_WAIT. */
  closeWait: readonly Socket[];
  /** Those that are not the server's end of a self-call. */
  closeWaitBesideCalls: readonly Socket[];
  /** Both ends of each call, then the CLOSE_WAIT connections besides. */
  sockets: readonly Socket[];
  inbound: number;
}

function portSockets(view: SocketView, mine: ProcessSockets, port: number): PortSockets {
  return view.memo(`self-call-port:${mine.pid}:${port}`, () => {
    const calls = selfCalls(view, mine, port);
    const inbound = mine.inbound(port);
    const closeWait = inbound.filter((s) => s.state === 'CLOSE_WAIT');
    const ends = new Set(calls.flatMap((c) => (c.inbound !== null ? [c.inbound] : [])));
    const self = selfConnections(view, mine, port);
    const selfSet = new Set(self);
    return {
      calls,
      unanswered: calls.filter((c) => c.inbound !== null && ((c.inbound.recvQ ?? 0) > 0 || c.inbound.pid === null)),
      paired: [...calls].sort((a, b) => Number(b.inbound !== null) - Number(a.inbound !== null)).slice(0, 3),
      bothEnds: ends.size,
      closeWait,
      closeWaitBesideCalls: closeWait.filter((s) => !ends.has(s)),
      sockets: [...self, ...closeWait.filter((s) => !selfSet.has(s))],
      inbound: inbound.length,
    };
  });
}

interface PortFacts {
  port: number;
  pid: number | null;
  pool: Pool | null;
  stuck: JavaThread[];
  busy: number;
  /** Workers waiting for a task: free to serve an inner request. */
  free: number;
  listing: PortSockets;
  calls: readonly SelfCall[];
  unanswered: readonly SelfCall[];
  closeWait: readonly Socket[];
}

function evaluatePort(context: VerdictContext, analysis: DumpAnalysis | null, mine: ProcessSockets, port: number, pid: number | null): Finding | null {
  const view = context.correlation.view;
  const listing = portSockets(view, mine, port);
  const calls = listing.calls;
  const activity = (t: JavaThread): ThreadActivity | undefined => analysis?.activity.get(t);
  const { pool, threads: workers } = workersOf(analysis, port, calls.length > 0);
  const busyWorkers = workers.filter((t) => {
    const act = activity(t);
    return act !== undefined && !isIdle(act);
  });
  const stuck = busyWorkers.filter((t) => {
    const act = activity(t);
    return act !== undefined && mayWaitOnOwnServer(act);
  });
  const facts: PortFacts = {
    port,
    pid,
    pool,
    stuck,
    busy: busyWorkers.length,
    free: workers.filter((t) => activity(t)?.kind === 'idle').length,
    listing,
    calls,
    unanswered: listing.unanswered,
    closeWait: listing.closeWait,
  };
  const bothEnds = listing.bothEnds > 0;
  // Every worker waits on a call and none waits for a task (selector and acceptor threads of a pool such as Jetty's
  // never take one): nobody is left to serve an inner request. A worker busy with other work may be serving one.
  const saturated = stuck.length > 0 && stuck.length === busyWorkers.length && facts.free === 0;

  if (calls.length > 0 && analysis !== null && stuck.length > 0) {
    if (!saturated && facts.unanswered.length === 0) return finding(context, facts, 0.5, 'calling-itself');
    const confidence = 0.9 + (bothEnds ? 0.02 : 0) + (saturated ? 0.03 : 0) + (facts.unanswered.length > 0 ? 0.03 : 0) + (facts.closeWait.length > 0 ? 0.01 : 0);
    return finding(context, facts, clamp(Math.min(0.99, confidence)), 'proven');
  }
  if (calls.length > 0 && analysis === null) return finding(context, facts, facts.unanswered.length > 0 ? 0.7 : 0.6, 'no-dump');
  // Without a visible self-connection, only a pool mostly stuck on others while its port collects CLOSE_WAIT.
  const mostlyStuck = stuck.length > 0 && stuck.length * 2 >= busyWorkers.length;
  if (calls.length === 0 && mostlyStuck && facts.closeWait.length > 0 && !waitsExplainedByOtherPeers(context, analysis, stuck, mine, pid)) {
    const allStuck = stuck.length === busyWorkers.length;
    return finding(context, facts, clamp(0.45 + (allStuck ? 0.1 : 0) + (facts.closeWait.length >= 10 ? 0.05 : 0)), 'unconfirmed');
  }
  return null;
}

/**
 * The threads that serve `port`: the pool named for it (Tomcat's `http-nio-8080-exec`) or tied to it as the
 * process's only server port. Otherwise, the pool whose threads serve requests (server frames in their stacks) and
 * wait most on calls; when the process is seen calling the port, any pool waiting on calls (an executor of any
 * name: the connections are the proof, not the name). Last, request threads outside any pool.
 */
function workersOf(analysis: DumpAnalysis | null, port: number, calling: boolean): { pool: Pool | null; threads: JavaThread[] } {
  if (analysis === null) return { pool: null, threads: [] };
  const named = analysis.pools.find((p) => p.port === port);
  if (named !== undefined) return { pool: named, threads: named.threads };
  const act = (t: JavaThread): ThreadActivity | undefined => analysis.activity.get(t);
  const waitsOnCall = (t: JavaThread): boolean => {
    const a = act(t);
    return a !== undefined && mayWaitOnOwnServer(a);
  };
  const unbound = analysis.pools.filter((p) => p.port === null);
  const serving = unbound.filter((p) => p.threads.some((t) => act(t)?.handlingRequest));
  let best: Pool | null = null;
  let bestWaiting = 0;
  for (const pool of serving.length > 0 || !calling ? serving : unbound) {
    const waiting = pool.threads.filter(waitsOnCall).length;
    if (waiting > bestWaiting) [best, bestWaiting] = [pool, waiting];
  }
  if (best !== null) return { pool: best, threads: best.threads };
  return { pool: null, threads: analysis.dump.threads.filter((t) => act(t)?.handlingRequest) };
}

/**
 * Workers blocked on sockets or pooled connections while the process talks to other peers (and never to its own
 * port) are waiting for those peers: a slow dependency or an exhausted client pool, not a self-call. Futures could
 * hide anything, so they keep the suspicion.
 */
function waitsExplainedByOtherPeers(context: VerdictContext, analysis: DumpAnalysis | null, stuck: JavaThread[], mine: ProcessSockets, pid: number | null): boolean {
  if (analysis === null || pid === null) return false;
  const onSockets = stuck.every((t) => analysis.activity.get(t)?.kind !== 'future-wait');
  return onSockets && context.correlation.view.memo(`talks-to-others:${pid}`, () => mine.outbound.some((s) => s.pid === pid && s.state !== 'TIME_WAIT'));
}

function finding(context: VerdictContext, facts: PortFacts, confidence: number, basis: SelfCallBasis): Finding {
  const { port, pool, stuck, calls, closeWait, unanswered } = facts;
  const activity = context.analysis?.activity;
  const frames = distinct(stuck.map((t) => applicationFrame(t, Math.max(0, activity?.get(t)?.frame ?? 0))));
  const waitingIn = distinct(stuck.map((t) => waitDescription(t, activity?.get(t))));
  const clients = distinct(stuck.map((t) => activity?.get(t)?.client ?? null));
  const poolName = pool?.name ?? `the request threads of port ${port}`;
  const seen = pool !== null ? `${count(stuck.length)} of ${plural(pool.threads.length, 'worker')} seen` : plural(stuck.length, 'request thread');
  const where = frames.length > 0 ? `, called from ${frames.slice(0, 2).map(shortFrame).join(' and ')}` : '';
  const waits = waitingIn.length > 0 ? ` ${waitingIn.slice(0, 2).join(' or ')}` : '';
  const closeWaitText =
    closeWait.length > 0
      ? `${plural(closeWait.length, 'connection')} on port ${port} ${closeWait.length === 1 ? 'is' : 'are'} in CLOSE_WAIT (clients gave up; the server never answered and never closed them)`
      : '';
  const owner = calls.find((c) => c.outbound.pid !== null)?.outbound;
  const who = owner !== undefined ? `process ${owner.pid}${owner.program !== null ? ` (${owner.program})` : ''}` : 'the process';
  const bothEnds = facts.listing.bothEnds;
  const selfText =
    bothEnds > 0
      ? `${who} owns both ends of ${plural(bothEnds, 'connection')} to its own port ${port}`
      : `${who} holds ${plural(calls.length, 'connection')} to its own port ${port}`;
  const unreadText =
    unanswered.length > 0
      ? ` ${plural(unanswered.length, 'inner request')} ${unanswered.length === 1 ? 'sits' : 'sit'} unread on the server's side (Recv-Q > 0 or not yet accepted): no worker is free to read ${unanswered.length === 1 ? 'it' : 'them'}.`
      : '';

  let summary: string;
  if (basis === 'proven') {
    summary =
      `Port ${port} is calling itself and its worker pool ${poolName} is deadlocked: ${seen} ${stuck.length === 1 ? 'is' : 'are'} waiting${waits}${where}, ` +
      `while ${selfText}. Each stuck request waits for an inner request to the same server, which needs a free worker of the same pool.${unreadText}` +
      `${closeWaitText !== '' ? ` Meanwhile ${closeWaitText}.` : ''} ` +
      `Stop the application from calling its own port (serve that content in-process or from a separate server), or at least give the inner call its own pool and a timeout.`;
  } else if (basis === 'calling-itself') {
    const idle = facts.free;
    summary =
      `Port ${port} is calling itself: ${selfText}, and ${plural(stuck.length, 'worker')} of ${poolName} ${stuck.length === 1 ? 'is' : 'are'} waiting${waits}${where}. ` +
      `It is not deadlocked at this moment (${plural(idle, 'worker')} idle, the inner requests are being read), but once load takes every worker, each one waits for an inner request that needs a free worker, and the server stops. ` +
      `Serve that content in-process, or give the inner call its own pool and a timeout.`;
  } else if (basis === 'no-dump') {
    summary =
      `The listing shows that ${selfText}${closeWaitText !== '' ? `, and ${closeWaitText}` : ''}: the application calls its own server.${unreadText} ` +
      `If the calls are made from request threads, the worker pool of port ${port} can deadlock once every worker waits for an inner call. ` +
      `A thread dump taken at the same time would confirm it (workers of port ${port} waiting in an HTTP client or a Future).`;
  } else {
    summary =
      `The worker pool ${poolName} that serves port ${port} is stuck: ${seen} ${stuck.length === 1 ? 'is' : 'are'} waiting${waits}${where}, ` +
      `for work that may need a free worker of the same pool, and ${closeWaitText}. ` +
      `This is the signature of a self-call deadlock (the application calling its own port ${port}), but no connection from the process to its own port ${port} is visible, so it is not proven. ` +
      `To confirm it: check what the awaited tasks do (threads in an HTTP call to port ${port}), list the connections to the port (\`ss -tanp 'dport = :${port}'\`), or run \`closewait scan\` on the workspace for a \`self-call\` finding.`;
  }

  const lines: EvidenceLine[] = stuck.slice(0, 2).flatMap((t) => {
    const frame = applicationFrame(t, Math.max(0, activity?.get(t)?.frame ?? 0));
    const frameAt = frame !== null ? frameLine(context, t, frame) : null;
    return frameAt !== null ? [headerLine(context, t), frameAt] : [headerLine(context, t)];
  });
  // Both ends of each call side by side: the caller's row, then the row it arrives on.
  lines.push(...facts.listing.paired.flatMap((c) => socketLines(context, c.inbound !== null ? [c.outbound, c.inbound] : [c.outbound])));
  lines.push(...socketLines(context, facts.listing.closeWaitBesideCalls));
  const details: Record<string, string> = { port: String(port), basis };
  if (pool !== null) details.pool = pool.name;
  if (facts.pid !== null) details.pid = String(facts.pid);
  if (clients.length > 0) details.client = clients.join(', ');
  if (waitingIn.length > 0) details.waitingIn = waitingIn.join(', ');
  const selfSockets = calls.length + bothEnds;
  return {
    kind: 'self-call-deadlock',
    key: `self-call-deadlock:${port}`,
    title: basis === 'calling-itself' ? `Self-call on port ${port} (not deadlocked yet)` : `Self-call deadlock on port ${port}`,
    confidence,
    summary,
    evidence: {
      counts: {
        closeWait: closeWait.length,
        selfConnections: selfSockets,
        bothEnds,
        unansweredInnerRequests: unanswered.length,
        stuckWorkers: stuck.length,
        busyWorkers: facts.busy,
        poolSize: pool?.threads.length ?? 0,
        inboundConnections: facts.listing.inbound,
      },
      details,
      lines,
    },
    threads: stuck,
    sockets: facts.listing.sockets,
    frames,
  };
}

/** What a stuck worker waits for, in words: `for an HTTP response (OkHttp)`, `in FutureTask.get under invokeAll`. */
function waitDescription(thread: JavaThread, activity: ThreadActivity | undefined): string | null {
  if (activity === undefined || activity.frame < 0) return null;
  switch (activity.kind) {
    case 'future-wait': {
      if (activity.httpClient) return `for an HTTP response (${activity.client})`;
      const chain = thread.frames.slice(activity.frame, activity.callFrame + 1).map((f) => `${f.class.slice(f.class.lastIndexOf('.') + 1)}.${f.method}`);
      const shown = distinct(chain.length >= 2 ? chain.slice(1) : chain);
      return `in ${shown.length > 1 ? `${shown[0]} under ${shown[shown.length - 1]}` : shown[0]}`;
    }
    case 'lease-wait':
      return `for a pooled connection (${activity.pool ?? 'connection pool'})`;
    case 'socket-connect':
      return `to connect${activity.client !== null ? ` (${activity.client})` : ''}`;
    default:
      return activity.httpClient ? `for an HTTP response (${activity.client})` : 'in a socket read';
  }
}
