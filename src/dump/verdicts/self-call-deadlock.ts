// self-call-deadlock: the worker pool of a server on port P is taken up by requests that wait for work which needs
// a free worker of the same pool: typically an HTTP call from the application to its own port P. Once every worker
// waits, nobody serves the inner calls, clients give up, and connections on P pile up in CLOSE_WAIT.
//
// Evidence, strongest first: connections from the machine to its own port P (loopback or one of its addresses)
// while P's workers wait on others; the same connections without a thread dump; workers of P waiting on futures or
// HTTP calls while P collects CLOSE_WAIT, with no self-connection visible (possible, not proven).
import type { JavaThread, Socket } from '../model';
import { isIdle, mayWaitOnOwnServer, type ThreadActivity } from '../activity';
import { selfConnections, type DumpAnalysis, type Pool } from '../correlate';
import type { Finding, VerdictContext, VerdictRule } from './types';
import { applicationFrame, clamp, distinct, frameLine, headerLine, socketLines } from './evidence';
import { count, plural, shortFrame } from '../words';

export const selfCallDeadlock: VerdictRule = {
  kind: 'self-call-deadlock',
  why:
    'A server whose request threads wait for requests to the same server needs more free workers than it has: once every worker waits, none is left to answer the inner requests and nothing moves again. Clients time out and close their side, so their connections sit in CLOSE_WAIT, waiting for a close() the stuck server never reaches.',
  evaluate(context) {
    const { analysis, correlation } = context;
    const view = correlation.view;
    const pid = analysis?.pid ?? view.processPid(null);
    const mine = view.sockets.filter((s) => view.belongsTo(s, pid) && s.state !== 'LISTEN');
    const ports = new Set([...view.serverPortsOf(pid), ...(analysis?.pools.map((p) => p.port) ?? [])]);
    const findings: Finding[] = [];
    for (const port of ports) {
      if (port === null) continue;
      const found = evaluatePort(context, analysis, mine, port, pid);
      if (found !== null) findings.push(found);
    }
    return findings;
  },
};

interface PortFacts {
  port: number;
  pid: number | null;
  pool: Pool | null;
  stuck: JavaThread[];
  busy: number;
  selfSockets: Socket[];
  closeWait: Socket[];
  inbound: number;
}

function evaluatePort(context: VerdictContext, analysis: DumpAnalysis | null, mine: Socket[], port: number, pid: number | null): Finding | null {
  const view = context.correlation.view;
  const pool = analysis?.pools.find((p) => p.port === port) ?? null;
  const activity = (t: JavaThread): ThreadActivity | undefined => analysis?.activity.get(t);
  const workers = pool?.threads ?? analysis?.dump.threads.filter((t) => activity(t)?.handlingRequest) ?? [];
  const busyWorkers = workers.filter((t) => {
    const act = activity(t);
    return act !== undefined && !isIdle(act);
  });
  const stuck = busyWorkers.filter((t) => {
    const act = activity(t);
    return act !== undefined && mayWaitOnOwnServer(act);
  });
  const inbound = mine.filter((s) => view.direction(s) === 'inbound' && s.local.port === port);
  const facts: PortFacts = {
    port,
    pid,
    pool,
    stuck,
    busy: busyWorkers.length,
    selfSockets: selfConnections(view, mine, port),
    closeWait: inbound.filter((s) => s.state === 'CLOSE_WAIT'),
    inbound: inbound.length,
  };
  const selfSeen = facts.selfSockets.length > 0;
  if (selfSeen && analysis !== null && stuck.length > 0) {
    const saturated = stuck.length * 2 >= Math.max(1, busyWorkers.length);
    return finding(context, facts, clamp(0.88 + (saturated ? 0.05 : 0) + (facts.closeWait.length > 0 ? 0.04 : 0)), 'proven');
  }
  if (selfSeen && analysis === null) return finding(context, facts, 0.6, 'no-dump');
  // Without a visible self-connection, only a pool mostly stuck on others while its port collects CLOSE_WAIT.
  const mostlyStuck = stuck.length > 0 && stuck.length * 2 >= busyWorkers.length;
  if (!selfSeen && mostlyStuck && facts.closeWait.length > 0) {
    const allStuck = stuck.length === busyWorkers.length;
    return finding(context, facts, clamp(0.45 + (allStuck ? 0.1 : 0) + (facts.closeWait.length >= 10 ? 0.05 : 0)), 'unconfirmed');
  }
  return null;
}

function finding(context: VerdictContext, facts: PortFacts, confidence: number, basis: 'proven' | 'no-dump' | 'unconfirmed'): Finding {
  const { port, pool, stuck, selfSockets, closeWait } = facts;
  const activity = context.analysis?.activity;
  const frames = distinct(stuck.map((t) => applicationFrame(t, Math.max(0, activity?.get(t)?.frame ?? 0))));
  const waitingIn = distinct(stuck.map((t) => waitDescription(t, activity?.get(t))));
  const poolName = pool?.name ?? `the request threads of port ${port}`;
  const seen = pool !== null ? `${count(stuck.length)} of ${plural(pool.threads.length, 'worker')} seen` : plural(stuck.length, 'request thread');
  const where = frames.length > 0 ? `, called from ${frames.slice(0, 2).map(shortFrame).join(' and ')}` : '';
  const waits = waitingIn.length > 0 ? ` ${waitingIn.slice(0, 2).join(' or ')}` : '';
  const closeWaitText = closeWait.length > 0 ? `${plural(closeWait.length, 'connection')} on port ${port} ${closeWait.length === 1 ? 'is' : 'are'} in CLOSE_WAIT (clients gave up; the server never answered and never closed them)` : '';
  const selfText = `${plural(selfSockets.length, 'connection')} from this machine to its own port ${port}`;

  let summary: string;
  if (basis === 'proven') {
    summary =
      `Port ${port} is calling itself and its worker pool ${poolName} is deadlocked: ${seen} ${stuck.length === 1 ? 'is' : 'are'} waiting${waits}${where}, ` +
      `while the paste shows ${selfText}. Each stuck request waits for an inner request to the same server, which needs a free worker of the same pool` +
      `${closeWaitText !== '' ? `; meanwhile ${closeWaitText}` : ''}. ` +
      `Stop the application from calling its own port (serve that content in-process or from a separate server), or at least give the inner call its own pool and a timeout.`;
  } else if (basis === 'no-dump') {
    summary =
      `The listing shows ${selfText}${closeWaitText !== '' ? `, and ${closeWaitText}` : ''}: the application calls its own server. ` +
      `If the calls are made from request threads, the worker pool of port ${port} can deadlock once every worker waits for an inner call. ` +
      `A thread dump taken at the same time would confirm it (workers of port ${port} waiting in an HTTP client or a Future).`;
  } else {
    summary =
      `The worker pool ${poolName} that serves port ${port} is stuck: ${seen} ${stuck.length === 1 ? 'is' : 'are'} waiting${waits}${where}, ` +
      `for work that may need a free worker of the same pool, and ${closeWaitText}. ` +
      `This is the signature of a self-call deadlock (the application calling its own port ${port}), but no connection from the process to its own port ${port} is visible, so it is not proven. ` +
      `To confirm it: check what the awaited tasks do (threads in an HTTP call to port ${port}), list the connections to the port (\`ss -tanp 'dport = :${port}'\`), or run \`closewait scan\` on the workspace for a \`self-call\` finding.`;
  }

  const lines = stuck.slice(0, 2).flatMap((t) => {
    const frame = applicationFrame(t, Math.max(0, activity?.get(t)?.frame ?? 0));
    const frameAt = frame !== null ? frameLine(context, t, frame) : null;
    return frameAt !== null ? [headerLine(context, t), frameAt] : [headerLine(context, t)];
  });
  lines.push(...socketLines(context, selfSockets), ...socketLines(context, closeWait));
  const details: Record<string, string> = { port: String(port), basis };
  if (pool !== null) details.pool = pool.name;
  if (facts.pid !== null) details.pid = String(facts.pid);
  if (waitingIn.length > 0) details.waitingIn = waitingIn.join(', ');
  return {
    kind: 'self-call-deadlock',
    key: `self-call-deadlock:${port}`,
    title: `Self-call deadlock on port ${port}`,
    confidence,
    summary,
    evidence: {
      counts: {
        closeWait: closeWait.length,
        selfConnections: selfSockets.length,
        stuckWorkers: stuck.length,
        busyWorkers: facts.busy,
        poolSize: pool?.threads.length ?? 0,
        inboundConnections: facts.inbound,
      },
      details,
      lines,
    },
    threads: stuck,
    sockets: [...selfSockets, ...closeWait.filter((s) => !selfSockets.includes(s))],
    frames,
  };
}

/** What a stuck worker waits for, in words: `in FutureTask.get under AbstractExecutorService.invokeAll`. */
function waitDescription(thread: JavaThread, activity: ThreadActivity | undefined): string | null {
  if (activity === undefined || activity.frame < 0) return null;
  switch (activity.kind) {
    case 'future-wait': {
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
