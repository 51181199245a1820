// socket-leak: many connections of one endpoint in CLOSE_WAIT that no thread is reading. The peer closed them;
// the application never called close(), and nothing will: CLOSE_WAIT has no timeout, so they stay until the
// process exits. Sockets an earlier verdict explains (a self-call deadlock) are left to it.
import type { JavaThread, Socket } from '../model';
import type { EvidenceLine, Finding, VerdictContext, VerdictRule } from './types';
import type { NodeProcess } from '../node/join';
import { applicationFrame, clamp, distinct, endpointText, socketLines } from './evidence';
import { count, plural, shortFrame } from '../words';

export const socketLeak: VerdictRule = {
  kind: 'socket-leak',
  why:
    'CLOSE_WAIT means the other side has closed the connection and the kernel is waiting for this application to call close(). There is no timeout: a socket the code forgets stays in CLOSE_WAIT, holding a file descriptor, until the process exits.',
  evaluate(context) {
    const view = context.correlation.view;
    const pid = context.analysis?.pid ?? view.processPid(null);
    const findings: Finding[] = [];
    for (const all of closeWaitGroups(context, pid)) {
      // Connections an earlier verdict of this dump explains (a self-call deadlock) are left to it.
      const sockets = context.claimed.unclaimed(all.sockets);
      if (sockets.length < context.thresholds.closeWait) continue;
      const group = sockets === all.sockets ? all : { ...all, sockets };
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

interface Group {
  label: string;
  outbound: boolean;
  port: number | null;
  sockets: readonly Socket[];
}

/** The process's CLOSE_WAIT connections by endpoint: outbound ones by peer, inbound ones by local port. */
function closeWaitGroups(context: VerdictContext, pid: number | null): Group[] {
  const view = context.correlation.view;
  return view.memo(`close-wait-groups:${pid}`, () => {
    // By local port (inbound) or remote host and port (outbound), in the order first listed: a label string is
    // made per group, not per socket.
    type Forming = Group & { sockets: Socket[] };
    const inbound = new Map<number | null, Forming>();
    const outbound = new Map<string, Map<number | null, Forming>>();
    const groups: Forming[] = [];
    for (const s of view.of(pid).connections) {
      if (s.state !== 'CLOSE_WAIT') continue;
      const isOutbound = view.direction(s) === 'outbound';
      let byPort = inbound;
      if (isOutbound) {
        const known = outbound.get(s.remote.host);
        if (known === undefined) outbound.set(s.remote.host, (byPort = new Map()));
        else byPort = known;
      }
      const port = isOutbound ? s.remote.port : s.local.port;
      let group = byPort.get(port);
      if (group === undefined) {
        const label = isOutbound ? `to ${endpointText(s.remote.host, s.remote.port)}` : `on local port ${s.local.port ?? '*'}`;
        byPort.set(port, (group = { label, outbound: isOutbound, port, sockets: [] }));
        groups.push(group);
      }
      group.sockets.push(s);
    }
    return groups;
  });
}

function servingPoolSaturated(context: VerdictContext, port: number | null): boolean {
  const pool = context.analysis?.pools.find((p) => p.port === port);
  return pool !== undefined && pool.idle === 0 && pool.busy > 0;
}

/** Threads reading these connections: peer reads for outbound ones, request reads of the port's workers for inbound. */
function readersOf(context: VerdictContext, outbound: boolean, port: number | null): JavaThread[] {
  const analysis = context.analysis;
  if (analysis === null) return [];
  const links = analysis.links.filter((l) => l.reason === (outbound ? 'reads-from-peer' : 'serves-port'));
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

/** What the connections themselves say: the same for every dump, so read once per list. */
function groupFacts(context: VerdictContext, sockets: readonly Socket[]): { unread: number; owner: Socket | undefined; node: NodeProcess | null; stopped: Socket[] } {
  let facts = factsOf.get(sockets);
  if (facts === undefined) {
    // A Node.js report of the owner says, per connection, whether Node still reads it.
    const node = context.nodeProcesses.find((p) => sockets.some((s) => p.handleOf.has(s))) ?? null;
    facts = {
      unread: sockets.filter((s) => (s.recvQ ?? 0) > 0).length,
      owner: sockets.find((s) => s.pid !== null),
      node,
      stopped: node !== null ? sockets.filter((s) => node.handleOf.get(s)?.active === false) : [],
    };
    factsOf.set(sockets, facts);
  }
  return facts;
}

const factsOf = new WeakMap<readonly Socket[], ReturnType<typeof groupFacts>>();

function finding(context: VerdictContext, group: Group, readers: JavaThread[], pid: number | null): Finding {
  const sockets = group.sockets;
  const { unread, owner, node, stopped } = groupFacts(context, sockets);
  const hasDump = context.analysis !== null;
  const who = owner !== undefined ? `process ${owner.pid}${owner.program !== null ? ` (${owner.program})` : ''}` : 'the process';
  const isNode = node !== null || (owner?.program ?? '').startsWith('node');
  // Code that uses the client library is where a response goes unclosed.
  const clientThreads = hasDump ? (context.analysis?.dump.threads.filter((t) => (context.analysis?.activity.get(t)?.client ?? null) !== null) ?? []) : [];
  const frames = distinct(clientThreads.map((t) => applicationFrame(t))).slice(0, 3);
  const cause = isNode ? NODE_CAUSE[group.outbound ? 'outbound' : 'inbound'] : JAVA_CAUSE[group.outbound ? 'outbound' : 'inbound'];
  const readersText =
    node !== null
      ? `Node's own report shows reading stopped on ${stopped.length === sockets.length ? 'every one of them' : `${count(stopped.length)} of them`} (libuv handle inactive, so no code consumes ${stopped.length === 1 ? 'it' : 'them'})`
      : hasDump
        ? readers.length === 0
          ? 'no thread is reading them'
          : `only ${plural(readers.length, 'thread')} ${readers.length === 1 ? 'reads' : 'read'} from them`
        : isNode
          ? 'a Node.js diagnostic report taken at the same time (`node --report-on-signal`, then `kill -USR2 <pid>`) would show whether Node still reads them'
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
    confidence: clamp(
      (hasDump || node !== null ? 0.75 : 0.55) + (sockets.length >= 100 ? 0.1 : 0) + (unread * 2 > sockets.length ? 0.05 : 0) + (stopped.length * 2 > sockets.length ? 0.05 : 0),
    ),
    summary,
    evidence: {
      counts: { closeWait: sockets.length, readingThreads: readers.length, unreadData: unread, ...(node !== null ? { stoppedReading: stopped.length } : {}) },
      details: {
        endpoint: group.label,
        direction: group.outbound ? 'outbound' : 'inbound',
        ...(pid !== null ? { pid: String(pid) } : node?.report.pid != null ? { pid: String(node.report.pid) } : {}),
        ...(node !== null ? { runtime: `Node.js${node.report.nodeVersion !== null ? ` ${node.report.nodeVersion}` : ''}` } : {}),
      },
      lines: [...socketLines(context, sockets), ...handleLines(context, node, stopped)],
    },
    threads: readers,
    sockets,
    frames,
  };
}

const JAVA_CAUSE = {
  outbound:
    'Typical cause: a response or connection not closed on every path (an Apache HttpClient CloseableHttpResponse or entity not consumed, an OkHttp Response body not closed, an HttpURLConnection stream left open, a JDBC connection not returned).',
  inbound:
    'On a server port this means requests whose connection the server never closes: handlers that never complete (async requests without complete()), or a custom socket server that forgets close().',
};

const NODE_CAUSE = {
  outbound:
    'Typical cause in Node.js: a fetch() Response whose body is never read or cancelled (undici holds the connection until it is: read it, or call response.body.cancel()), or an http.get()/request() response never consumed (response.resume()). Node stops reading such a socket, never sees the peer close it, and never closes it.',
  inbound:
    'On a Node.js server port this means connections the server stopped reading and never ends: a request body never consumed (the socket is paused), a handler that never calls res.end(), or a net server with allowHalfOpen that never calls end().',
};

/** The report's own `"is_active": false` lines for connections Node stopped reading: where the paste shows it. */
function handleLines(context: VerdictContext, node: NodeProcess | null, stopped: readonly Socket[]): EvidenceLine[] {
  if (node === null) return [];
  const input = node.report.input;
  return stopped.slice(0, 2).flatMap((s) => {
    const handle = node.handleOf.get(s);
    if (handle === undefined) return [];
    // A report pasted on one line (JSON.stringify) has no line worth quoting.
    if (context.lineText(input, handle.line).length > 200) return [];
    for (let line = handle.line; line < handle.line + 20; line++) {
      const text = context.lineText(input, line);
      if (text.includes('"is_active"')) return [{ input, line, text }];
    }
    return [];
  });
}
