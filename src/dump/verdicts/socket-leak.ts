// socket-leak: many connections of one endpoint in CLOSE_WAIT that no thread is reading. The peer closed them;
// the application never called close(), and nothing will: CLOSE_WAIT has no timeout, so they stay until the
// process exits. Sockets an earlier verdict explains (a self-call deadlock) are left to it.
import type { JavaThread, Socket } from '../model';
import type { Finding, VerdictContext, VerdictRule } from './types';
import { applicationFrame, clamp, distinct, endpointText, socketLines } from './evidence';
import { count, plural, shortFrame } from '../words';

export const socketLeak: VerdictRule = {
  kind: 'socket-leak',
  why:
    'CLOSE_WAIT means the other side has closed the connection and the kernel is waiting for this application to call close(). There is no timeout: a socket the code forgets stays in CLOSE_WAIT, holding a file descriptor, until the process exits.',
  evaluate(context) {
    const view = context.correlation.view;
    const pid = context.analysis?.pid ?? view.processPid(null);
    const groups = new Map<string, { label: string; outbound: boolean; port: number | null; sockets: Socket[] }>();
    for (const s of view.sockets) {
      if (s.state !== 'CLOSE_WAIT' || context.claimed.sockets.has(s) || !view.belongsTo(s, pid)) continue;
      const outbound = view.direction(s) === 'outbound';
      const key = outbound ? `to ${endpointText(s.remote.host, s.remote.port)}` : `on local port ${s.local.port ?? '*'}`;
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { label: key, outbound, port: outbound ? s.remote.port : s.local.port, sockets: [] }));
      group.sockets.push(s);
    }
    const findings: Finding[] = [];
    for (const group of groups.values()) {
      if (group.sockets.length < context.thresholds.closeWait) continue;
      // With every worker of the port busy, these connections wait for a worker (starvation), they are not leaked.
      if (!group.outbound && servingPoolSaturated(context, group.port)) continue;
      const readers = readersOf(context, group.outbound, group.port);
      // Threads still reading these endpoints are working through them; that is not a leak.
      if (readers.length * 2 >= group.sockets.length) continue;
      findings.push(finding(context, group, readers, pid));
    }
    return findings;
  },
};

function servingPoolSaturated(context: VerdictContext, port: number | null): boolean {
  const pool = context.analysis?.pools.find((p) => p.port === port);
  return pool !== undefined && pool.idle === 0 && pool.busy > 0;
}

/** Threads reading these connections: peer reads for outbound ones, request reads of the port's workers for inbound. */
function readersOf(context: VerdictContext, outbound: boolean, port: number | null): JavaThread[] {
  const analysis = context.analysis;
  if (analysis === null) return [];
  const links = context.correlation.links.filter((l) => l.dump === analysis.dump.index && l.reason === (outbound ? 'reads-from-peer' : 'serves-port'));
  return distinct(
    links
      .filter((l) => outbound || l.port === port)
      .flatMap((l) =>
        l.threads.filter((t) => {
          const act = analysis.activity.get(t);
          return act !== undefined && (act.kind === 'socket-read' || act.kind === 'socket-write') && act.serverSide !== outbound;
        }),
      ),
  );
}

function finding(
  context: VerdictContext,
  group: { label: string; outbound: boolean; port: number | null; sockets: Socket[] },
  readers: JavaThread[],
  pid: number | null,
): Finding {
  const sockets = group.sockets;
  const unread = sockets.filter((s) => (s.recvQ ?? 0) > 0).length;
  const hasDump = context.analysis !== null;
  const owner = sockets.find((s) => s.pid !== null);
  const who = owner !== undefined ? `process ${owner.pid}${owner.program !== null ? ` (${owner.program})` : ''}` : 'the process';
  // Code that uses the client library is where a response goes unclosed.
  const clientThreads = hasDump ? (context.analysis?.dump.threads.filter((t) => (context.analysis?.activity.get(t)?.client ?? null) !== null) ?? []) : [];
  const frames = distinct(clientThreads.map((t) => applicationFrame(t))).slice(0, 3);
  const cause = group.outbound
    ? 'Typical cause: a response or connection not closed on every path (an Apache HttpClient CloseableHttpResponse or entity not consumed, an OkHttp Response body not closed, an HttpURLConnection stream left open, a JDBC connection not returned).'
    : 'On a server port this means requests whose connection the server never closes: handlers that never complete (async requests without complete()), or a custom socket server that forgets close().';
  const readersText = hasDump
    ? readers.length === 0
      ? 'no thread is reading them'
      : `only ${plural(readers.length, 'thread')} ${readers.length === 1 ? 'reads' : 'read'} from them`
    : 'a thread dump taken at the same time would show whether any thread still reads them';
  const summary =
    `${plural(sockets.length, 'connection')} of ${who} ${group.label} ${sockets.length === 1 ? 'is' : 'are'} in CLOSE_WAIT and ${readersText}: ` +
    `the other side closed them, but the application never called close(). CLOSE_WAIT has no timeout; they stay until the process closes them or exits, and each holds a file descriptor. ` +
    `${unread > 0 ? `${plural(unread, 'of them')} still ${unread === 1 ? 'has' : 'have'} unread data (Recv-Q > 0). ` : ''}` +
    cause +
    `${frames.length > 0 ? ` Code using the client here: ${frames.map(shortFrame).join(', ')}.` : ''} Run \`closewait scan\` on the workspace to find unclosed resources.`;
  return {
    kind: 'socket-leak',
    key: `socket-leak:${pid ?? '*'}:${group.label}`,
    title: `Socket leak: ${count(sockets.length)} CLOSE_WAIT ${group.label}`,
    confidence: clamp((hasDump ? 0.75 : 0.55) + (sockets.length >= 100 ? 0.1 : 0) + (unread * 2 > sockets.length ? 0.05 : 0)),
    summary,
    evidence: {
      counts: { closeWait: sockets.length, readingThreads: readers.length, unreadData: unread },
      details: { endpoint: group.label, direction: group.outbound ? 'outbound' : 'inbound', ...(pid !== null ? { pid: String(pid) } : {}) },
      lines: socketLines(context, sockets),
    },
    threads: readers,
    sockets,
    frames,
  };
}
