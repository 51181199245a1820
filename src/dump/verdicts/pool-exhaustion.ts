// pool-exhaustion: threads queue for something a pool has run out of. Either a client-side connection pool
// (Apache HttpClient's AbstractConnPool, HikariCP, Commons Pool, c3p0, ...) with several threads waiting to lease
// a connection, or an executor whose every worker is blocked in FutureTask.get: the tasks they wait for sit in the
// same executor's queue with no worker left to run them.
import type { JavaThread, Socket } from '../model';
import type { DumpAnalysis, Pool } from '../correlate';
import type { Finding, VerdictContext, VerdictRule } from './types';
import { applicationFrame, clamp, distinct, endpointText, frameLine, headerLine, socketLines } from './evidence';
import { count, plural, shortFrame } from '../words';

/** Connections a pool hands out by default: a pool stuck exactly at one of these was never sized. */
const DEFAULT_LIMITS: Record<string, number[]> = {
  'Apache HttpClient 4': [2, 20],
  'Apache HttpClient 3': [2, 20],
  'Apache HttpClient 5': [5, 25],
  HikariCP: [10],
  'Apache Commons Pool': [8],
  'Tomcat JDBC pool': [100],
  c3p0: [15],
  Druid: [8],
};

export const poolExhaustion: VerdictRule = {
  kind: 'pool-exhaustion',
  why:
    'A pool lends a fixed number of connections or threads; when all are taken and not given back quickly, every further caller waits. A leaked connection or a slow dependency behind the pool therefore stalls every request in front of it.',
  evaluate(context) {
    const analysis = context.analysis;
    if (analysis === null) return [];
    return [...connectionPools(context, analysis), ...executors(context, analysis)];
  },
};

function connectionPools(context: VerdictContext, analysis: DumpAnalysis): Finding[] {
  const waiters = new Map<string, JavaThread[]>();
  for (const thread of analysis.dump.threads) {
    const act = analysis.activity.get(thread);
    if (act?.kind !== 'lease-wait' || act.pool === null || context.claimed.threads.has(thread)) continue;
    let list = waiters.get(act.pool);
    if (list === undefined) waiters.set(act.pool, (list = []));
    list.push(thread);
  }
  const findings: Finding[] = [];
  for (const [library, threads] of waiters) {
    if (threads.length < context.thresholds.leaseWaiters) continue;
    const route = busiestRoute(context, analysis);
    const leased = route?.sockets.length ?? 0;
    const closedByPeer = route?.sockets.filter((s) => s.state === 'CLOSE_WAIT') ?? [];
    const limits = DEFAULT_LIMITS[library] ?? [];
    const atDefault = route !== null && limits.includes(leased);
    const frames = distinct(threads.map((t) => applicationFrame(t)));
    const first = threads[0];
    const leaseAt = analysis.activity.get(first)?.frame ?? 0;
    const manager = managerOf(first, leaseAt);
    const lines = [headerLine(context, first)];
    const leaseLine = first.frames[leaseAt] !== undefined ? frameLine(context, first, first.frames[leaseAt]) : null;
    if (leaseLine !== null) lines.push(leaseLine);
    if (route !== null) lines.push(...socketLines(context, [...closedByPeer, ...route.sockets.filter((s) => s.state !== 'CLOSE_WAIT')], 3));
    const heldText =
      route === null
        ? ''
        : ` The process holds ${plural(leased, 'connection')} to the route ${route.peer}` +
          (closedByPeer.length > 0
            ? `, ${closedByPeer.length === leased ? 'all' : count(closedByPeer.length)} of them already closed by the peer (CLOSE_WAIT) yet still leased: responses that are never closed, so the pool never gets these connections back`
            : '') +
          `${atDefault ? `; ${count(leased)} is a default limit of ${library}: the pool was probably never sized` : ''}.`;
    const cause =
      closedByPeer.length > 0
        ? 'Close every response (try-with-resources on CloseableHttpResponse, or EntityUtils.consume), then set a connection-request (lease) timeout so a full pool fails fast instead of parking requests forever.'
        : 'Either connections are not given back (a response or connection not closed on some path), the peer answers too slowly for the pool size, or the limits are too low. Close every response, set a lease timeout and read timeouts, and size the pool (per route and in total) for the load.';
    findings.push({
      kind: 'pool-exhaustion',
      key: `pool-exhaustion:${library}`,
      title: `${library} connection pool exhausted${route !== null ? `: route ${route.peer}` : ''}`,
      confidence: clamp(0.6 + (threads.length >= 10 ? 0.1 : 0) + (atDefault ? 0.15 : route !== null ? 0.05 : 0) + (closedByPeer.length > 0 ? 0.15 : 0)),
      summary:
        `${plural(threads.length, 'thread')} wait${threads.length === 1 ? 's' : ''} to lease a connection from ${manager ?? library}` +
        `${frames.length > 0 ? `, called from ${frames.slice(0, 2).map(shortFrame).join(' and ')}` : ''}: every pooled connection${route !== null ? ` for ${route.peer}` : ''} is in use.${heldText} ` +
        cause,
      evidence: {
        counts: {
          waitingThreads: threads.length,
          ...(route !== null ? { connectionsToPeer: leased, closedByPeer: closedByPeer.length } : {}),
        },
        details: {
          library,
          ...(manager !== null ? { pool: manager } : {}),
          ...(route !== null ? { route: route.peer } : {}),
          ...(atDefault ? { defaultLimit: 'yes' } : {}),
        },
        lines,
      },
      threads,
      sockets: route?.sockets ?? [],
      frames,
    });
  }
  return findings;
}

/** Connection managers and pools worth naming, as they appear below the lease in a waiting thread's stack. */
const MANAGER = /(?:ConnectionManager|ConnManager|ConnPool|Pool|DataSource)(?:\$\w+)?$/;

/** The pool a thread waits on, by its class: `PoolingHttpClientConnectionManager`, `HikariPool`, `GenericObjectPool`. */
function managerOf(thread: JavaThread, leaseAt: number): string | null {
  let fallback: string | null = null;
  for (let i = leaseAt; i < thread.frames.length && i < leaseAt + 12; i++) {
    const simple = thread.frames[i].class.slice(thread.frames[i].class.lastIndexOf('.') + 1).replace(/\$.*$/, '');
    if (!MANAGER.test(simple)) continue;
    // The manager the code configured sits above the generic pool it delegates to (AbstractConnPool, ConcurrentBag).
    if (/Manager$/.test(simple)) return simple;
    fallback ??= simple.startsWith('Abstract') ? null : simple;
  }
  return fallback;
}

/**
 * The route the pool is full for: the remote endpoint the process holds most connections to, counting those the
 * peer already closed (CLOSE_WAIT), which a leaked response keeps leased all the same.
 */
function busiestRoute(context: VerdictContext, analysis: DumpAnalysis): { peer: string; sockets: Socket[] } | null {
  const view = context.correlation.view;
  return view.memo(`busiest-route:${analysis.pid}`, () => {
    const byPeer = new Map<string, Socket[]>();
    for (const s of view.of(analysis.pid).outbound) {
      if (s.state !== 'ESTABLISHED' && s.state !== 'CLOSE_WAIT') continue;
      const peer = endpointText(s.remote.host, s.remote.port);
      let list = byPeer.get(peer);
      if (list === undefined) byPeer.set(peer, (list = []));
      list.push(s);
    }
    let best: { peer: string; sockets: Socket[] } | null = null;
    for (const [peer, sockets] of byPeer) if (best === null || sockets.length > best.sockets.length) best = { peer, sockets };
    return best;
  });
}

function executors(context: VerdictContext, analysis: DumpAnalysis): Finding[] {
  const findings: Finding[] = [];
  for (const pool of analysis.pools) {
    if (pool.threads.length < 2 || pool.threads.some((t) => context.claimed.threads.has(t))) continue;
    const waiting = pool.threads.filter((t) => analysis.activity.get(t)?.kind === 'future-wait');
    if (waiting.length !== pool.threads.length) continue;
    findings.push(executorFinding(context, analysis, pool));
  }
  return findings;
}

function executorFinding(context: VerdictContext, analysis: DumpAnalysis, pool: Pool): Finding {
  const threads = pool.threads;
  const frames = distinct(threads.map((t) => applicationFrame(t, Math.max(0, analysis.activity.get(t)?.frame ?? 0))));
  const first = threads[0];
  const waitFrame = first.frames[analysis.activity.get(first)?.frame ?? 0];
  const lines = [headerLine(context, first)];
  const waitLine = waitFrame !== undefined ? frameLine(context, first, waitFrame) : null;
  if (waitLine !== null) lines.push(waitLine);
  return {
    kind: 'pool-exhaustion',
    key: `pool-exhaustion:executor:${pool.name}`,
    title: `Executor ${pool.name} exhausted`,
    confidence: clamp(0.6 + (threads.length >= 4 ? 0.1 : 0)),
    summary:
      `All ${count(threads.length)} workers of ${pool.name} seen are blocked waiting for a Future` +
      `${frames.length > 0 ? ` at ${frames.slice(0, 2).map(shortFrame).join(' and ')}` : ''}, and none is free to run tasks. ` +
      'If the awaited tasks were submitted to the same executor, they sit in its queue and the pool has deadlocked itself; ' +
      'if they call another service, that service is too slow. Run nested tasks on a separate executor (or do them inline), and wait with a timeout.',
    evidence: { counts: { workers: threads.length, waitingForFuture: threads.length }, details: { pool: pool.name }, lines },
    threads,
    sockets: [],
    frames,
  };
}
